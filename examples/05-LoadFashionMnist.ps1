<#
.SYNOPSIS
    Loads Fashion-MNIST from its IDX files, splits off validation data and looks at one sample.
.DESCRIPTION
    Reads the gzipped IDX training and test sets with Import-IdxDataset (pixels scaled to [0,1],
    one-hot targets, class indices in Labels), shows how long loading took, holds out a stratified
    10% of the training set for validation with Split-Dataset, prints the class histogram, and draws
    the first test image as text with its label and class name.
    When Fashion-MNIST is not installed in -Path, a small synthetic IDX set is written to a temp
    folder and loaded instead, so the script always runs. -Quick loads only the first 1000 samples.
#>
param(
    [string] $Path = '/usr/share/datasets/fashion-mnist',
    [switch] $Quick
)

$synthetic = -not [System.IO.File]::Exists([System.IO.Path]::Combine($Path, 'train-images-idx3-ubyte.gz'))
if ($synthetic) {
    # 28x28 random images with labels 0..9, gzipped, in a folder whose name says "fashion".
    $Path = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'fashion-synthetic-' + [guid]::NewGuid().ToString('N'))
    $null = [System.IO.Directory]::CreateDirectory($Path)
    $rng = [System.Random]::new(1)
    foreach ($set in @(@{ Name = 'train'; Count = 2000 }, @{ Name = 't10k'; Count = 500 })) {
        $pixels = [byte[]]::new($set.Count * 784)
        $rng.NextBytes($pixels)
        $labels = [byte[]]::new($set.Count)
        for ($i = 0; $i -lt $set.Count; $i++) { $labels[$i] = $i % 10 }
        [BackpropModule.Engine.Data.IdxWriter]::WriteImages([System.IO.Path]::Combine($Path, "$($set.Name)-images-idx3-ubyte.gz"), $pixels, 28, 28, $true)
        [BackpropModule.Engine.Data.IdxWriter]::WriteLabels([System.IO.Path]::Combine($Path, "$($set.Name)-labels-idx1-ubyte.gz"), $labels, $true)
    }
}

try {
    $load = @{ Path = $Path }
    if ($Quick) { $load.First = 1000 }
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $train = Import-IdxDataset @load -Name train
    $trainMs = $clock.Elapsed.TotalMilliseconds
    $clock.Restart()
    $test = Import-IdxDataset @load -Name t10k
    $testMs = $clock.Elapsed.TotalMilliseconds

    # Each section goes to Out-Default on its own so every object type keeps its own table.
    $train, $test | Out-Default
    @(
        [pscustomobject]@{ Set = 'train'; Samples = $train.Count; LoadMs = [int]$trainMs; Synthetic = $synthetic }
        [pscustomobject]@{ Set = 't10k'; Samples = $test.Count; LoadMs = [int]$testMs; Synthetic = $synthetic }
    ) | Out-Default

    # Hold out 10% of the training set, every class in proportion; the seed makes it repeatable.
    $split = $train | Split-Dataset -ValidationFraction 0.1 -Seed 1 -Stratify
    $split | Out-Default

    # Samples per class in the validation part.
    $counts = [int[]]::new($train.ClassCount)
    foreach ($label in $split.Validation.Labels) { $counts[$label]++ }
    $(for ($c = 0; $c -lt $counts.Length; $c++) {
        [pscustomobject]@{ Class = $c; Name = $train.ClassNames[$c]; ValidationSamples = $counts[$c] }
    }) | Out-Default

    # The first test image as text: darker characters for brighter pixels (features are row by row).
    $label = $test.Labels[0]
    [pscustomobject]@{ Sample = 0; Label = $label; ClassName = $test.ClassNames[$label]; OneHot = ($test.Targets[0..9] -join ' ') } | Out-Default
    $shades = ' .:-=+*#%@'
    for ($r = 0; $r -lt 28; $r++) {
        $line = [System.Text.StringBuilder]::new()
        for ($c = 0; $c -lt 28; $c++) {
            $v = $test.Features[$r * 28 + $c]
            $null = $line.Append($shades[[int][math]::Floor($v * 9.999)])
        }
        $line.ToString()
    }
}
finally {
    if ($synthetic) { [System.IO.Directory]::Delete($Path, $true) }
}
