<#
.SYNOPSIS
    XOR two ways: an optimizer stepped by hand with Update-Network, then Start-Training in one line.
.DESCRIPTION
    The four XOR points cannot be separated by a line, so a 2-4-2 tanh network needs its hidden layer.
    First a Momentum optimizer takes full-batch steps one pipeline at a time (forward, backward, update),
    keeping its velocity between calls; then a fresh network learns the same with Start-Training and
    Adam. Both end classifying all four points correctly.
#>
param([int] $Seed = 4)

$xor = New-Dataset -Kind Xor
$x = $xor.FeaturesTensor()
$t = $xor.TargetsTensor()

# 1. By hand: 300 full-batch Momentum steps through the pipeline.
$net = New-Network -LayerSizes 2, 4, 2 -Activation Tanh -Output Softmax -Seed $Seed
$momentum = New-Optimizer -Name Momentum -LearningRate 0.1
$start = ($net | Invoke-Forward $x $t).Loss
foreach ($step in 1..300) {
    $grad = $net | Invoke-Forward $x $t | Invoke-Backward
    $net | Update-Network -Gradient $grad -Optimizer $momentum
}
$momentum | Out-Default
$after = ($net | Invoke-Forward $x $t).Loss
[pscustomobject]@{
    Method     = 'Update-Network + Momentum'
    LossBefore = $start.ToString('G4', [cultureinfo]::InvariantCulture)
    LossAfter  = $after.ToString('G4', [cultureinfo]::InvariantCulture)
} | Out-Default

# 2. Start-Training: batch size 4 is the whole dataset, so every epoch is one Adam step.
$net2 = New-Network -LayerSizes 2, 4, 2 -Activation Tanh -Output Softmax -Seed $Seed
$history = $net2 | Start-Training -TrainingData $xor -Epochs 300 -BatchSize 4 -Optimizer Adam -LearningRate 0.05 -Seed 1
$history | Where-Object { $_.Epoch % 50 -eq 0 } | Out-Default

$net2 | Test-Network -Data $xor | Out-Default

# The network's answer for each corner.
$pass = $net2 | Invoke-Forward $x
$predicted = $pass.Predictions()
for ($i = 0; $i -lt 4; $i++) {
    [pscustomobject]@{ A = $xor.Features[2 * $i]; B = $xor.Features[2 * $i + 1]; Xor = $xor.Labels[$i]; Predicted = $predicted[$i] }
}
