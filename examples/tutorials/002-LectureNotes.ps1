<#
.SYNOPSIS
    Tutorial 002 (lecture notes): a 2-3-1 ReLU regression network, its squared error and one SGD step
    at learning rate 0.07, computed the notes' way and the module's way, side by side.
.DESCRIPTION
    The notes show code but print no numbers, so the values are chosen from their own material:
    W1, b1 of their forward-propagation example, W2 = (0.1, 0.2, 0.3)^T, b2 = 0.1, the input
    x = (1, 5) and the target d = f(x) = 3 x1 + 2 x2 = 13 of their SGD section, learning rate 0.07.
    "Notes" columns follow the notes' code line by line (mean_squared_error = mean((d - y)^2) / 2,
    delta2 = (y - d) / d.shape[0], grad W2 = z1^T delta2, delta1 = delta2 W2^T * d_relu(z1), ...,
    network[key] -= 0.07 * grad[key]) in plain arithmetic.

    Two more rows show the notes' differences: on a 2-output net their loss is half the module's
    (a mean over outputs instead of a sum), and with a sigmoid hidden layer their delta1 takes the
    sigmoid's derivative at z1 = sigmoid(u1) instead of at u1, a bug that moves dW1 by a few percent.
#>
param()

$x = 1.0, 5.0
$d = 13.0
$lr = 0.07
$W1 = @(@(0.1, 0.3, 0.5), @(0.2, 0.4, 0.6)); $b1 = 0.1, 0.2, 0.3
$W2 = 0.1, 0.2, 0.3; $b2 = 0.1

# ---- the notes' computation, element by element ----
function Invoke-NotesStep([string] $Activation) {
    $u1 = foreach ($j in 0..2) { $x[0] * $W1[0][$j] + $x[1] * $W1[1][$j] + $b1[$j] }
    $z1 = foreach ($u in $u1) { if ($Activation -eq 'ReLU') { [Math]::Max(0.0, $u) } else { 1 / (1 + [Math]::Exp(-$u)) } }
    $y = $z1[0] * $W2[0] + $z1[1] * $W2[1] + $z1[2] * $W2[2] + $b2
    $loss = ($d - $y) * ($d - $y) / 2                       # np.mean over one output, / 2
    $delta2 = ($y - $d) / 1                                 # d.shape[0] = 1
    $gW2 = foreach ($j in 0..2) { $z1[$j] * $delta2 }
    $gb2 = $delta2
    $delta1 = foreach ($j in 0..2) {
        $back = $delta2 * $W2[$j]
        if ($Activation -eq 'ReLU') { $back * [double]($z1[$j] -gt 0) }
        else { $s = 1 / (1 + [Math]::Exp(-$z1[$j])); $back * (1 - $s) * $s }   # d_sigmoid(z1): the notes' bug
    }
    $gW1 = foreach ($i in 0..1) { , @(foreach ($j in 0..2) { $x[$i] * $delta1[$j] }) }
    [pscustomobject]@{
        Loss = $loss; dW1 = $gW1; dW2 = $gW2; db1 = $delta1; db2 = $gb2
        W1 = @(foreach ($i in 0..1) { , @(foreach ($j in 0..2) { $W1[$i][$j] - $lr * $gW1[$i][$j] }) })
        b1 = @(foreach ($j in 0..2) { $b1[$j] - $lr * $delta1[$j] })
        W2 = @(foreach ($j in 0..2) { $W2[$j] - $lr * $gW2[$j] })
        b2 = $b2 - $lr * $gb2
    }
}

# ---- the module ----
function New-NotesNetwork([string] $Activation) {
    New-Network -Activation $Activation -Output Identity -Parameters @{
        W1 = $W1; b1 = $b1; W2 = @(@(0.1), @(0.2), @(0.3)); b2 = , $b2 }
}

$notes = Invoke-NotesStep ReLU
$net = New-NotesNetwork ReLU
$pass = $net | Invoke-Forward -InputObject $x -Target $d
$grad = $pass | Invoke-Backward
$grad | Update-Network -LearningRate $lr

[pscustomobject]@{ Tutorial = '002'; Figure = 'loss'; TutorialValue = $notes.Loss; ModuleValue = $pass.Loss; Relation = 'same (one output)' }
foreach ($i in 0..1) { foreach ($j in 0..2) {
    [pscustomobject]@{ Tutorial = '002'; Figure = "W1[$i,$j] after the step"; TutorialValue = $notes.W1[$i][$j]; ModuleValue = $net.Parameters[0].Value[$i, $j]; Relation = 'same' }
} }
foreach ($j in 0..2) {
    [pscustomobject]@{ Tutorial = '002'; Figure = "b1[$j] after the step"; TutorialValue = $notes.b1[$j]; ModuleValue = $net.Parameters[1].Value[0, $j]; Relation = 'same' }
    [pscustomobject]@{ Tutorial = '002'; Figure = "W2[$j,0] after the step"; TutorialValue = $notes.W2[$j]; ModuleValue = $net.Parameters[2].Value[$j, 0]; Relation = 'same' }
}
[pscustomobject]@{ Tutorial = '002'; Figure = 'b2 after the step'; TutorialValue = $notes.b2; ModuleValue = $net.Parameters[3].Value[0, 0]; Relation = 'same' }

# Two outputs: the notes average the squared error over the outputs, the module sums it.
$two = New-Network -Activation ReLU -Output Identity -Parameters @{ W1 = $W1; b1 = $b1; W2 = @(@(0.1, 0.4), @(0.2, 0.5), @(0.3, 0.6)); b2 = 0.1, 0.2 }
$p2 = $two | Invoke-Forward -InputObject $x -Target 13, 7
$notesLoss2 = (@(0..1) | ForEach-Object { $e = (13, 7)[$_] - $p2.y[0, $_]; $e * $e } | Measure-Object -Sum).Sum / 2 / 2
[pscustomobject]@{ Tutorial = '002'; Figure = 'loss, 2 outputs'; TutorialValue = $notesLoss2; ModuleValue = $p2.Loss; Relation = 'module = 2 x notes (sum vs mean over outputs)' }

# Sigmoid hidden layer: the notes evaluate the derivative at the wrong point.
$sigNotes = Invoke-NotesStep Sigmoid
$sig = (New-NotesNetwork Sigmoid) | Invoke-Forward -InputObject $x -Target $d | Invoke-Backward
$worst = 0.0
foreach ($i in 0..1) { foreach ($j in 0..2) {
    $rel = [Math]::Abs($sigNotes.dW1[$i][$j] - $sig.dW1[$i, $j]) / [Math]::Abs($sig.dW1[$i, $j])
    if ($rel -gt $worst) { $worst = $rel }
} }
[pscustomobject]@{ Tutorial = '002'; Figure = 'sigmoid dW1[0,0]'; TutorialValue = $sigNotes.dW1[0][0]; ModuleValue = $sig.dW1[0, 0]; Relation = ('notes bug: d_sigmoid(z1) for d_sigmoid(u1); worst element {0:P1} off' -f $worst) }
