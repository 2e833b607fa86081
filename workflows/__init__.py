"""The procedures as pure state machines (standard library only): see machine, departmental, par."""
