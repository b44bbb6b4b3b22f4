"""Printed documents: ReportLab builders (data in, PDF bytes out), one shared style, the bundled
font, escaping of user text, the anonymisation check, encryption, Excel writers and .eml drafts.

Imports the domain layer only; reportlab, openpyxl and pypdf are imported inside functions so the
window starts without them.
"""
