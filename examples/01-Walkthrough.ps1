<#
.SYNOPSIS
    The interactive walkthrough: build a network, one forward pass, one backward pass, one update.
.DESCRIPTION
    A 784-50-10 sigmoid/softmax network on a batch of 100 Fashion-MNIST-shaped inputs (random pixels
    in [0,1] and random labels, seeded). Prints the network, the pass, the gradients, and shows that
    one gradient-descent step at learning rate 0.1 lowers the loss on that batch.
.PARAMETER Seed
    Seed for the weights and for the batch.
#>
param([int] $Seed = 1)

$net = New-Network -LayerSizes 784, 50, 10 -Activation Sigmoid -Output Softmax -Seed $Seed
$net | Out-Default

$rng = [System.Random]::new($Seed)
$x = [double[][]]::new(100)
$t = [int[]]::new(100)
for ($i = 0; $i -lt 100; $i++) {
    $row = [double[]]::new(784)
    for ($j = 0; $j -lt 784; $j++) { $row[$j] = $rng.NextDouble() }
    $x[$i] = $row
    $t[$i] = $rng.Next(10)
}

$pass = $net | Invoke-Forward -InputObject $x -Target $t
$pass | Out-Default

$grad = $pass | Invoke-Backward
$grad | Out-Default
'db2, the bias gradient of the output layer (column sums of (y - t)/100):'
$grad.db2 | Out-Default

$net | Update-Network -Gradient $grad -LearningRate 0.1
$after = $net | Invoke-Forward -InputObject $x -Target $t
[pscustomobject]@{ LossBefore = $pass.Loss; LossAfter = $after.Loss; Lowered = $after.Loss -lt $pass.Loss }
