<#
.SYNOPSIS
    The classic 3-4-3 example: one forward and one backward pass, every gradient printed.
.DESCRIPTION
    A network with 3 inputs, 4 hidden ReLU units and 3 softmax outputs, run on one random sample
    with a random class. Prints the network, the forward pass with its cross-entropy loss, and each
    gradient dW1, db1, dW2, db2 next to the parameter it belongs to. For one sample, db2 is y - t:
    the softmax output with 1 subtracted at the target class.
.PARAMETER Seed
    Seed for the weights and for the sample.
#>
param([int] $Seed = 1)

$net = New-Network -LayerSizes 3, 4, 3 -Activation ReLU -Output Softmax -Seed $Seed
$net

$rng = [System.Random]::new($Seed)
$x = [double[]]::new(3)
for ($i = 0; $i -lt 3; $i++) { $x[$i] = 4 * $rng.NextDouble() - 2 }
$class = $rng.Next(3)

$pass = $net | Invoke-Forward -InputObject $x -Target $class
$pass
'Sample ({0}), class {1}: loss (cross-entropy) = {2:G6}' -f (($x | ForEach-Object { $_.ToString('F3', [cultureinfo]::InvariantCulture) }) -join ', '), $class, $pass.Loss
''

$grad = $pass | Invoke-Backward
foreach ($p in $net.Parameters) {
    '{0} = dL/d{1}, {2} like {1}:' -f $p.GradientName, $p.Name, $p.Shape
    $grad.($p.GradientName)
}
