<#
.SYNOPSIS
    The classic gradient check: backprop against central differences on 784-50-10 and three samples.
.DESCRIPTION
    Builds a 784-50-10 network (ReLU, softmax), takes the first three Fashion-MNIST test images
    (read straight from /usr/share/datasets/fashion-mnist/t10k-*.gz with a small gzip + IDX reader;
    seeded random pixels when the files are absent) and checks every element of W1, b1, W2 and b2:
    one table row per parameter with the maximum relative error, the worst element, kinks crossed
    and the verdict. Then it breaks one element of dW2 on purpose (dW2 at row 5, column 7) and shows the check catching it.
    -Quick checks 200 sampled elements per parameter instead of all 39,760.
#>
param(
    [switch] $Quick,
    [string] $DataPath = '/usr/share/datasets/fashion-mnist',
    [ValidateSet('ReLU', 'Sigmoid', 'Tanh')] [string] $Activation = 'ReLU',
    [int] $Seed = 1
)

function Read-Exactly([System.IO.Stream] $Stream, [int] $Count) {
    $buffer = [byte[]]::new($Count)
    $offset = 0
    while ($offset -lt $Count) {
        $n = $Stream.Read($buffer, $offset, $Count - $offset)
        if ($n -le 0) { throw "The file ended after $offset of $Count bytes." }
        $offset += $n
    }
    , $buffer
}

function Read-BigEndianInt32([byte[]] $Bytes, [int] $At) {
    ([int] $Bytes[$At] -shl 24) -bor ([int] $Bytes[$At + 1] -shl 16) -bor ([int] $Bytes[$At + 2] -shl 8) -bor [int] $Bytes[$At + 3]
}

# Reads the first $Count records of a gzipped IDX file; the magic number says what it holds
# (0x801: labels, one byte each; 0x803: images, rows x cols bytes each).
function Read-Idx([string] $Path, [int] $ExpectedMagic, [int] $Count) {
    $file = [System.IO.File]::OpenRead($Path)
    try {
        $gzip = [System.IO.Compression.GZipStream]::new($file, [System.IO.Compression.CompressionMode]::Decompress)
        $headerSize = if ($ExpectedMagic -eq 0x803) { 16 } else { 8 }
        $header = Read-Exactly $gzip $headerSize
        $magic = Read-BigEndianInt32 $header 0
        if ($magic -ne $ExpectedMagic) { throw ("{0} has magic number 0x{1:X}; expected 0x{2:X}." -f $Path, $magic, $ExpectedMagic) }
        $recordSize = if ($ExpectedMagic -eq 0x803) { (Read-BigEndianInt32 $header 8) * (Read-BigEndianInt32 $header 12) } else { 1 }
        , (Read-Exactly $gzip ($Count * $recordSize))
    }
    finally { $file.Dispose() }
}

$imagesPath = [System.IO.Path]::Combine($DataPath, 't10k-images-idx3-ubyte.gz')
$labelsPath = [System.IO.Path]::Combine($DataPath, 't10k-labels-idx1-ubyte.gz')
$x = [double[][]]::new(3)
$t = [int[]]::new(3)
if ([System.IO.File]::Exists($imagesPath) -and [System.IO.File]::Exists($labelsPath)) {
    $pixels = Read-Idx $imagesPath 0x803 3
    $labels = Read-Idx $labelsPath 0x801 3
    for ($i = 0; $i -lt 3; $i++) {
        $x[$i] = [double[]]::new(784)
        for ($j = 0; $j -lt 784; $j++) { $x[$i][$j] = $pixels[$i * 784 + $j] / 255.0 }
        $t[$i] = $labels[$i]
    }
    "Data: the first 3 Fashion-MNIST test images (labels $($t -join ', '))"
}
else {
    $rng = [System.Random]::new($Seed)
    for ($i = 0; $i -lt 3; $i++) {
        $x[$i] = [double[]]::new(784)
        for ($j = 0; $j -lt 784; $j++) { $x[$i][$j] = $rng.NextDouble() }
        $t[$i] = $rng.Next(10)
    }
    "Data: 3 samples of seeded random pixels ($imagesPath not found)"
}

$net = New-Network -LayerSizes 784, 50, 10 -Activation $Activation -Output Softmax -Seed $Seed
$check = @{ InputObject = $x; Target = $t }
if ($Quick) { $check.Sample = 200; $check.Seed = $Seed }

$clock = [System.Diagnostics.Stopwatch]::StartNew()
$net | Test-Gradient @check
$checked = 0
foreach ($p in $net.Parameters) { $checked += if ($Quick) { [Math]::Min(200, $p.Value.Count) } else { $p.Value.Count } }
'Checked {0:N0} elements (two perturbed losses each, recomputed from the changed layer on) in {1:N2} s.' -f $checked, $clock.Elapsed.TotalSeconds

# Now break one element on purpose: the check names the parameter, the row and the column.
# (W2 has 500 elements; all of them are checked, without -Sample.)
$g = $net | Invoke-Forward -InputObject $x -Target $t | Invoke-Backward
$g.dW2[5, 7] += 1e-3
$g | Test-Gradient -ParameterName W2
