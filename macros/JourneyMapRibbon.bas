Attribute VB_Name = "JourneyMapRibbon"
' Journey Map ribbon: one callback per button of the "Journey Map" tab.
'
' Each callback runs one fixed Python entry point of addin.frontends.ribbon
' through xlwings' RunPython. The Python side finds the workbook itself
' (xw.Book.caller()), so no cell text, sheet name or path is ever pasted into
' a Python command here: keep every RunPython string a constant.
Option Explicit

' Checks the input sheets and writes the Validation sheet.
Public Sub JM_Validate(control As IRibbonControl)
    RunPython "import addin.frontends.ribbon as r; r.validate()"
End Sub

' Validates, analyses and rewrites every output sheet (Validation, Heatmap, Priorities, Dashboard).
Public Sub JM_RefreshAll(control As IRibbonControl)
    RunPython "import addin.frontends.ribbon as r; r.refresh_all()"
End Sub

' Adds the blank input sheets that this workbook does not have yet; never overwrites a sheet.
Public Sub JM_NewJourney(control As IRibbonControl)
    RunPython "import addin.frontends.ribbon as r; r.new_journey()"
End Sub

' Opens the user's manual.
Public Sub JM_OpenHelp(control As IRibbonControl)
    RunPython "import addin.frontends.ribbon as r; r.open_help()"
End Sub
