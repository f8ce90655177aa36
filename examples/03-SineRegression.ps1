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

    It also writes the tutorial's picture, sine-snapshots.png in -OutputFolder: the 63 points and
    the network's curve before training and after 200, 400, 1000 and 2000 epochs (for -Quick: 0,
    100, 200, 300), and sine-loss.png, the loss per epoch on a log scale.
#>
param(
    [int] $Epochs = 2001,
    [int] $Seed = 2,
    [string] $OutputFolder = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'BackpropModule', 'pictures'),
    [switch] $Quick
)

if ($Quick) { $Epochs = 301 }
$null = [System.IO.Directory]::CreateDirectory($OutputFolder)

$data = New-Dataset -Kind Sine
$data | Out-Default

$net = New-Network -LayerSizes 1, 3, 1 -Activation Sigmoid -Output Identity -WeightInit Normal -WeightScale 0.01 -BiasInit Normal -BiasScale 0.01 -Seed $Seed
$net | Out-Default

# Trained in chunks: each $net written in the script block reaches Export-Plot as a snapshot before
# the next chunk trains it further (-Resume continues the same run, so the records are those of one run).
$chunks = if ($Quick) { 100, 100, 100 } else { 200, 200, 600, 1000 }
$chunks[-1] += $Epochs - [System.Linq.Enumerable]::Sum([int[]]$chunks)
$history = [System.Collections.Generic.List[object]]::new()
$snapshots = [System.IO.Path]::Combine($OutputFolder, 'sine-snapshots.png')
& {
    $net
    $run = @{ Seed = $Seed }   # the first chunk starts the run; the others resume it
    foreach ($n in $chunks) {
        $net | Start-Training -TrainingData $data -Epochs $n -BatchSize 1 -LearningRate 0.1 -Optimizer SGD @run |
            ForEach-Object { $history.Add($_) }
        $run = @{ Resume = $true }
        $net
    }
} | Export-Plot -Path $snapshots -Data $data -Title 'A 1-3-1 network learning a sine: before training and after each chunk of epochs'
$history = $history.ToArray()
$history | Export-Plot -Path ([System.IO.Path]::Combine($OutputFolder, 'sine-loss.png')) -LogScale
"Pictures written to $OutputFolder (sine-snapshots.png, sine-loss.png)." | Out-Default

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
