<#
.SYNOPSIS
    Tutorial 004: TwoLayerNet (Affine, ReLU, Affine, softmax with loss) and its gradient check:
    the mean absolute difference between backprop and a central difference with h = 1e-4.
.DESCRIPTION
    The tutorial's TwoLayerNet is 784-50-10 with W = 0.01·randn, b = 0, checked on three MNIST
    images. Here the three "images" are synthetic (pixels uniform in [0, 1), seeded; labels 0, 1,
    2), so it runs without files; -Quick uses a 784-10-10 net for speed. Test-Gradient
    -Epsilon 1e-4 -IncludeGradients gives, per parameter, the numerical and analytic gradients
    and MeanAbsError = mean |analytic − numerical|, the figure the tutorial prints per key.
    The tutorial's own figures come out larger, for a reason of its own: its loss adds 1e-7 inside
    the log, which its numerical gradient sees and its analytic gradient (y − t)/N does not. The
    last rows redo the tutorial's check of b2 exactly as it does it (its loss, h = 1e-4, plain
    (f(x+h) − f(x−h)) / 2h) to show that bias. The step itself matters less: with h = 1e-4 the
    truncation error (∝ h²) is still small here, and roundoff (∝ 1/h) is smaller than at 1e-5.
#>
param([int] $Seed = 1, [switch] $Quick)

$hidden = if ($Quick) { 10 } else { 50 }
$rng = [System.Random]::new($Seed)
$x = [double[][]]@(for ($n = 0; $n -lt 3; $n++) { , [double[]]@(for ($i = 0; $i -lt 784; $i++) { $rng.NextDouble() }) })
$t = 0, 1, 2
$net = New-Network -LayerSizes 784, $hidden, 10 -Activation ReLU -Output Softmax -WeightInit Normal -WeightScale 0.01 -Seed $Seed

$tutorialStep = $net | Test-Gradient -InputObject $x -Target $t -Epsilon 1e-4 -IncludeGradients
$defaultStep = $net | Test-Gradient -InputObject $x -Target $t
for ($i = 0; $i -lt $tutorialStep.Count; $i++) {
    $r = $tutorialStep[$i]
    [pscustomobject]@{ Tutorial = '004'; Figure = "$($r.Parameter) mean |diff|, h = 1e-4"; TutorialValue = $null; ModuleValue = $r.MeanAbsError; Relation = ('default h = 1e-5: {0:G3}' -f $defaultStep[$i].MeanAbsError) }
}

# The tutorial's loss, with 1e-7 inside the log, next to the module's.
$pass = $net | Invoke-Forward -InputObject $x -Target $t
$tutorialLoss = 0.0
for ($n = 0; $n -lt 3; $n++) { $tutorialLoss -= [Math]::Log($pass.y[$n, $t[$n]] + 1e-7) / 3 }
[pscustomobject]@{ Tutorial = '004'; Figure = 'loss'; TutorialValue = $tutorialLoss; ModuleValue = $pass.Loss; Relation = ('+1e-7 inside the log: off by {0:G2}' -f ($tutorialLoss - $pass.Loss)) }

# The tutorial's check of b2, its way: its loss with +1e-7, h = 1e-4, element by element.
function Get-TutorialLoss {
    $p = $net | Invoke-Forward -InputObject $x -Target $t
    $sum = 0.0
    for ($n = 0; $n -lt 3; $n++) { $sum -= [Math]::Log($p.y[$n, $t[$n]] + 1e-7) }
    $sum / 3
}
$db2 = ($pass | Invoke-Backward).db2
$b2 = $net.Parameters[3].Value
$h = 1e-4
$total = 0.0
for ($k = 0; $k -lt 10; $k++) {
    $keep = $b2[0, $k]
    $b2[0, $k] = $keep + $h; $up = Get-TutorialLoss
    $b2[0, $k] = $keep - $h; $down = Get-TutorialLoss
    $b2[0, $k] = $keep
    $total += [Math]::Abs(($up - $down) / (2 * $h) - $db2[0, $k])
}
[pscustomobject]@{ Tutorial = '004'; Figure = 'b2 mean |diff|, its own way'; TutorialValue = $total / 10; ModuleValue = $tutorialStep[3].MeanAbsError; Relation = 'tutorial = its +1e-7 loss, h = 1e-4; module = same h, no 1e-7' }
