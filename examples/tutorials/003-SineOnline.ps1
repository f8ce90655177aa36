<#
.SYNOPSIS
    Tutorial 003: a 1-3-1 sigmoid/identity network fits one period of a sine by online SGD.
.DESCRIPTION
    The tutorial's setup, all of it: 63 points θ = 0, 0.1, …, 6.2, input (θ − π)/π, target sin θ
    (New-Dataset -Kind Sine); weights and biases 0.01·randn (-WeightInit Normal -BiasInit Normal,
    both scales 0.01); batch size 1, plain SGD at 0.1; the samples shuffled afresh every epoch
    (the tutorial's np.random.shuffle; Start-Training's default); 2001 epochs. The tutorial prints
    "Error" every 200 epochs (epochs 0, 200, …, 2000 counted from 0): the mean over the epoch of
    ½(y − t)², each y taken before that sample's update, which is TrainingLoss here. numpy's
    random draws are not reproduced, so the curve is the tutorial's in shape, not in its digits.
    -Quick runs 301 epochs (about a tenth of a second of training).
#>
param([int] $Seed = 2, [switch] $Quick)

$epochs = if ($Quick) { 301 } else { 2001 }
$sine = New-Dataset -Kind Sine
$net = New-Network -LayerSizes 1, 3, 1 -Activation Sigmoid -Output Identity -WeightInit Normal -WeightScale 0.01 -BiasInit Normal -BiasScale 0.01 -Seed $Seed
$history = $net | Start-Training -TrainingData $sine -Epochs $epochs -BatchSize 1 -LearningRate 0.1 -Optimizer SGD -Seed $Seed

foreach ($record in $history | Where-Object { ($_.Epoch - 1) % 200 -eq 0 }) {
    [pscustomobject]@{ Tutorial = '003'; Figure = "Error, epoch $($record.Epoch - 1) (from 0)"; TutorialValue = $null; ModuleValue = $record.TrainingLoss; Relation = 'mean of 1/2 (y - t)^2 while training' }
}
[pscustomobject]@{ Tutorial = '003'; Figure = 'Error, last epoch'; TutorialValue = 1e-4; ModuleValue = $history[-1].TrainingLoss; Relation = 'the fit the tutorial shows is below 1e-4' }
