<#
.SYNOPSIS
    The classic first regression: a 1-3-1 network learns one period of a sine with online SGD.
.DESCRIPTION
    The tutorial setup: 63 points θ = 0, 0.1, …, 6.2, input x = (θ − π)/π, target sin θ; a 1-3-1
    network with a sigmoid hidden layer and an identity output (squared error); weights and biases
    drawn as 0.01·randn; online learning (batch size 1, the samples shuffled afresh every epoch, as
    the tutorial's np.random.shuffle does) with SGD at learning rate 0.1 for 2001 epochs. The tutorial's "error" of an epoch is the mean over samples of ½(y − t)² taken
    while training, which is exactly the TrainingLoss of each epoch record here; it ends below 1e-4.
    -Quick runs 301 epochs.
#>
param([int] $Epochs = 2001, [int] $Seed = 2, [switch] $Quick)

if ($Quick) { $Epochs = 301 }

$data = New-Dataset -Kind Sine
$data | Out-Default

$net = New-Network -LayerSizes 1, 3, 1 -Activation Sigmoid -Output Identity -WeightInit Normal -WeightScale 0.01 -BiasInit Normal -BiasScale 0.01 -Seed $Seed
$net | Out-Default

$history = $net | Start-Training -TrainingData $data -Epochs $Epochs -BatchSize 1 -LearningRate 0.1 -Optimizer SGD -Seed $Seed

# Every 200th epoch, as the tutorial prints them, and the last one.
$history | Where-Object { ($_.Epoch - 1) % 200 -eq 0 -or $_.Epoch -eq $Epochs } | Out-Default

# Loss, mean absolute error and RMSE of the trained network on the 63 points.
$net | Test-Network -Data $data | Out-Default

# Some predictions next to the targets.
$pass = $net | Invoke-Forward -InputObject $data.FeaturesTensor()
$rows = for ($i = 0; $i -lt $data.Count; $i += 8) {
    [pscustomobject]@{
        Theta      = [math]::Round($i * 0.1, 1)
        X          = [math]::Round($data.Features[$i], 4)
        Target     = [math]::Round($data.Targets[$i], 4)
        Prediction = [math]::Round($pass.Output[$i, 0], 4)
    }
}
$rows | Out-Default

$final = $history[-1].TrainingLoss
[pscustomobject]@{
    Epochs      = $Epochs
    MeanError   = $final.ToString('G4', [cultureinfo]::InvariantCulture)
    Target      = '1e-4'
    TargetMet   = $final -le 1e-4
}
