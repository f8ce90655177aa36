<#
.SYNOPSIS
    Saving and exporting: a network file, an Excel workbook and an ONNX model, each read back.
.DESCRIPTION
    Trains a small 4-8-3 tanh/softmax network for a few gradient-descent steps on a seeded toy
    problem, recording one history row per step. Then, in a temporary folder:
      1. Save-Network and Import-Network: the copy has bit-identical parameters and gives the same
         outputs.
      2. Export-Workbook: weights, one forward pass, its gradients and the history (with loss and
         accuracy charts) in one .xlsx file, written without Excel; -Append adds a sheet later.
      3. Export-NetworkOnnx: an ONNX model for ONNX Runtime and other tools.
    Every file is written atomically (temporary file, then moved into place). The folder is
    removed at the end unless -Keep is given.
#>
param([int] $Seed = 7, [int] $Steps = 20, [switch] $Keep)

$folder = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'backprop-example-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
$null = [System.IO.Directory]::CreateDirectory($folder)

# A toy problem: the class is the index of the largest of the first three features.
$rng = [System.Random]::new($Seed)
$x = [double[][]]::new(60)
$t = [int[]]::new(60)
for ($i = 0; $i -lt 60; $i++) {
    $row = [double[]]::new(4)
    for ($j = 0; $j -lt 4; $j++) { $row[$j] = 2 * $rng.NextDouble() - 1 }
    $x[$i] = $row
    $best = 0
    for ($j = 1; $j -lt 3; $j++) { if ($row[$j] -gt $row[$best]) { $best = $j } }
    $t[$i] = $best
}

$net = New-Network -LayerSizes 4, 8, 3 -Activation Tanh -Output Softmax -Seed $Seed
$history = foreach ($step in 1..$Steps) {
    $pass = $net | Invoke-Forward -InputObject $x -Target $t
    $grad = $pass | Invoke-Backward
    $net | Update-Network -Gradient $grad -LearningRate 0.5
    [pscustomobject]@{ Epoch = $step; TrainingLoss = $pass.Loss; TrainingAccuracy = $pass.Accuracy() }
}
# Each section goes to Out-Default on its own, so every kind of object is shown with its own view.
$history[-1] | Out-Default

# 1. Save and import: bit-exact.
$networkFile = [System.IO.Path]::Combine($folder, 'toy.json')
$net | Save-Network -Path $networkFile -PassThru | Out-Default
$copy = Import-Network -Path $networkFile
$same = $true
for ($i = 0; $i -lt $net.Parameters.Count; $i++) { $same = $same -and $net.Parameters[$i].Value.BitwiseEquals($copy.Parameters[$i].Value) }
$outputsEqual = ($net | Invoke-Forward -InputObject $x).Output.BitwiseEquals(($copy | Invoke-Forward -InputObject $x).Output)
[pscustomobject]@{ File = 'toy.json'; ParametersBitIdentical = $same; OutputsIdentical = $outputsEqual } | Out-Default

# 2. One workbook with the weights, a forward pass, its gradients and the history.
$workbook = [System.IO.Path]::Combine($folder, 'toy.xlsx')
$pass = $net | Invoke-Forward -InputObject $x[0..9] -Target $t[0..9]
$grad = $pass | Invoke-Backward
@($net, $pass, $grad) + $history | Export-Workbook -Path $workbook -PassThru | Out-Default
$copy.Parameters[0].Value | Export-Workbook -Path $workbook -Append -WorksheetName 'Imported.W1' -PassThru | Out-Default

# Read one cell back with the Open XML SDK that ships with the module.
$doc = [DocumentFormat.OpenXml.Packaging.SpreadsheetDocument]::Open($workbook, $false)
try {
    $sheet = $doc.WorkbookPart.Workbook.Sheets.ChildElements | Where-Object { $_.Name.Value -eq 'W1' }
    $cell = $doc.WorkbookPart.GetPartById($sheet.Id.Value).Worksheet.Descendants[DocumentFormat.OpenXml.Spreadsheet.Cell]() |
        Where-Object { $_.CellReference.Value -eq 'B2' }
    [pscustomobject]@{ Cell = 'W1!B2'; InWorkbook = [double]::Parse($cell.InnerText, [cultureinfo]::InvariantCulture); InNetwork = $net.Parameters[0].Value[0, 0] } | Out-Default
} finally { $doc.Dispose() }

# 3. ONNX, for ONNX Runtime (python: onnxruntime.InferenceSession(path).run(['output'], {'input': x})).
$net | Export-NetworkOnnx -Path ([System.IO.Path]::Combine($folder, 'toy.onnx')) -PassThru

if ($Keep) { "Files kept in $folder" } else { [System.IO.Directory]::Delete($folder, $true) }
