<#
.SYNOPSIS
    Tutorial 001: a 784-50-10 sigmoid/softmax network, one full-batch gradient-descent step at 0.1,
    and the effect of the tutorial updating W2 before it backpropagates into layer 1.
.DESCRIPTION
    The tutorial uses all of MNIST; this script uses -Count synthetic "images" (pixels uniform in
    [0, 1), seeded; labels 0..9 in turn) so it runs without files. Initialisation as the tutorial:
    W = 0.01·randn, b = 0 (-WeightInit Normal -WeightScale 0.01). dy = (y - t)/N is the module's
    da2, grad_W2 its dW2, dz1 its dz1, da1 its da1.
    The tutorial computes dz1 = dy · W2ᵀ with W2 already updated (W2 - 0.1·grad_W2), so its grad_W1
    is the gradient of a network that no longer exists. The script computes that too and reports
    how far it is from the module's (correct) dW1.
#>
param([int] $Count = 100, [int] $Seed = 1)

$rng = [System.Random]::new($Seed)
$x = [double[][]]@(for ($n = 0; $n -lt $Count; $n++) { , [double[]]@(for ($i = 0; $i -lt 784; $i++) { $rng.NextDouble() }) })
$labels = [double[]]@(for ($n = 0; $n -lt $Count; $n++) { $n % 10 })

$net = New-Network -LayerSizes 784, 50, 10 -Activation Sigmoid -Output Softmax -WeightInit Normal -WeightScale 0.01 -Seed $Seed
$pass = $net | Invoke-Forward -InputObject $x -Target $labels
$grad = $pass | Invoke-Backward

# The tutorial's order: W2 first, then dz1 through the new W2.
$W2new = $net.Parameters[2].Value.Matrix.Subtract($grad.dW2.Matrix.Multiply(0.1))
$dz1 = $grad.da2.Matrix.TransposeAndMultiply($W2new)
$z1 = $pass.z1.Matrix
$da1 = $dz1.PointwiseMultiply($z1.PointwiseMultiply($z1.Negate().Add(1.0)))
$dW1tutorial = $pass.x1.Matrix.TransposeThisAndMultiply($da1)
$relative = $dW1tutorial.Subtract($grad.dW1.Matrix).FrobeniusNorm() / $grad.dW1.Matrix.FrobeniusNorm()

[pscustomobject]@{ Tutorial = '001'; Figure = 'loss before the step'; TutorialValue = $null; ModuleValue = $pass.Loss; Relation = 'mean cross-entropy over the batch, as the tutorial' }
[pscustomobject]@{ Tutorial = '001'; Figure = '|grad_W1 - dW1| / |dW1|'; TutorialValue = $null; ModuleValue = $relative; Relation = 'tutorial bug: W2 updated before dz1 = dy W2^T' }
[pscustomobject]@{ Tutorial = '001'; Figure = 'grad_W1 max |.|'; TutorialValue = [BackpropModule.Engine.Tensors.Tensor]::new($dW1tutorial).MaxAbs(); ModuleValue = $grad.dW1.MaxAbs(); Relation = 'tutorial vs module' }

$grad | Update-Network -LearningRate 0.1
$after = ($net | Invoke-Forward -InputObject $x -Target $labels).Loss
[pscustomobject]@{ Tutorial = '001'; Figure = 'loss after one step'; TutorialValue = $null; ModuleValue = $after; Relation = 'lower than before' }
