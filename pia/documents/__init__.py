"""Word documents: the processor agreement and the DPIA report, from docxtpl templates.

rendering   the sandboxed docxtpl render, text cleaning, template checks, Pictures
sandbox     the Jinja sandbox: plain data only (an allowlist), a budget of work per render
text        answers in words (options, rows, operations) for document contexts
report      the context of the DPIA report (sections 0–20, pre-scan, risks, FG advice)
agreement   the context of a processor agreement (DPIA facts plus the asked fields)
samples     a full sample context per kind: every uploaded template is tried on it
heatmap     the risk heat map as a PNG image
pdf         conversion to PDF with LibreOffice, in a subprocess with a timeout
processors  what the DPIA says about one processor (§6 and the sections it touches)
"""
