"""Cells of exported spreadsheets (XLSX, CSV) that a spreadsheet program shows as text and never runs.

A text a citizen or a business typed (a description, a name, an address) that starts with ``=``, ``+``, ``-``, ``@``
or a tab/return would be taken for a formula by Excel or WPS when a staff member opens the export (CSV injection;
openpyxl itself stores such a string as a formula). Such a text gets a leading apostrophe, as OWASP recommends;
numbers, dates and empty cells pass unchanged."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def row(values):
    return [cell(value) for value in values]
