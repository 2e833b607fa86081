"""The role vocabulary: what an actor is for ONE assessment.

Roles are *relational*: they say what the actor is for ONE assessment. The
app computes them and passes them in as a set of strings; several may apply at
once (the FG who claimed an assessment has both "fg" and "claimed_fg").

    owner        the project lead who created and owns the assessment (an author)
    editor       a co-editor of the assessment (an author)
    viewer       may read it, nothing more
    fg           an FG (DPO) of the organisation (PAR: of a participating ministry),
                 not an author of the assessment
    claimed_fg   the FG who claimed the assessment for review
    controller   a designated controller (verwerkingsverantwoordelijke) who signs
    auditor      reads everything, including the history; fires nothing
    coordinator  the PAR coordinator of a government-wide advice
    secretariat  records the decisions of the interdepartmental bodies and the GOR Rijk

"No one reviews their own work" is enforced twice: the app never gives "fg" to
an author, and review transitions carry a guard on the context's
`actor_is_author`.
"""

from __future__ import annotations

from collections.abc import Mapping

OWNER = "owner"
EDITOR = "editor"
VIEWER = "viewer"
FG = "fg"
CLAIMED_FG = "claimed_fg"
CONTROLLER = "controller"
AUDITOR = "auditor"
COORDINATOR = "coordinator"
SECRETARIAT = "secretariat"

ROLES: Mapping[str, str] = {
    OWNER: "projectleider (eigenaar)",
    EDITOR: "mede-opsteller",
    VIEWER: "lezer",
    FG: "FG van de organisatie",
    CLAIMED_FG: "FG die de beoordeling in behandeling heeft",
    CONTROLLER: "verwerkingsverantwoordelijke",
    AUDITOR: "auditor",
    COORDINATOR: "PAR-coördinator",
    SECRETARIAT: "secretariaat van de overleggen",
}
"""The role vocabulary with Dutch labels for messages."""
