"""The procedures as pure state machines (standard library only): see machine, departmental, par."""


def state_label(state: str, government_wide: bool = False) -> str:
    """The Dutch label of a workflow state: of the PAR route for a government-wide DPIA (and
    for the states only that route has), else of the departmental route."""
    from workflows import departmental, par

    routes = (par, departmental) if government_wide else (departmental, par)
    for route in routes:
        if state in route.WORKFLOW.state_values:
            return route.WORKFLOW.state(state).label
    return state


def state_labels() -> list[str]:
    """Every state's label once, in the order of the departmental route, then the PAR route."""
    from workflows import departmental, par

    labels: list[str] = []
    for state in (*departmental.STATES, *par.STATES):
        if state.label not in labels:
            labels.append(state.label)
    return labels
