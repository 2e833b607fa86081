"""The questionnaires as data and the small engine around them (no Flask, no database).

definitions/   the YAML definitions (prescan-2.0, dpia-3.0) and the shared glossary
loader         load_definition(path), get_definition(id, version): checked, cached
model          the immutable dataclasses: Definition, Section, Question, Option, ...
answers        the answer representation (read its docstring first)
conditions     show_if evaluation, visible_questions, effective_answers
options        choices taken from earlier answers (options_from) and operations
completeness   what is missing, and progress per section and overall
prescan        the pre-scan outcome rules (prescan_score: the risk score lines)
risk           the DPIA risk matrix, overrides, residual risk, prior consultation
builder        WTForms classes per section (fields, formdata, rows, validation)
naming         HTML field names, and the add/remove row button names
export         JSON export and checks of imported answers
carryover      pre-scan answers shown beside or pre-filled into the DPIA
glossary       [[term]] links in help texts
diff           what changed between two answer sets (for reviewing versions)
diff_text      answers in words, word-level text diffs, Dutch change counts
"""
