<#
.SYNOPSIS
    Three interleaved spiral arms, which no straight line separates, learned by a 2-50-3 ReLU network with Adam.
.DESCRIPTION
    The CS231n spiral: 100 points per class, angle noise 0.2. A validation spiral drawn with another
    seed shows generalisation; early stopping watches its loss and keeps the best epoch's weights.
    Test-Network then prints the accuracy, the confusion matrix (rows = actual, columns = predicted)
    and precision, recall and F1 per class. -Quick trains 40 epochs.
#>
param(
    [int] $Epochs = 300,
    [int] $Seed = 1,
    [string] $OutputFolder = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'BackpropModule', 'pictures'),
    [switch] $Quick
)

if ($Quick) { $Epochs = 40 }
$null = [System.IO.Directory]::CreateDirectory($OutputFolder)

$train = New-Dataset -Kind Spiral -Count 100 -Seed $Seed
$valid = New-Dataset -Kind Spiral -Count 40 -Seed ($Seed + 100)
@($train, $valid) | Out-Default

$net = New-Network -LayerSizes 2, 50, 3 -Activation ReLU -Output Softmax -Seed $Seed
$adam = New-Optimizer -Name Adam -LearningRate 0.01
$adam | Out-Default

$history = $net | Start-Training -TrainingData $train -ValidationData $valid -Epochs $Epochs -BatchSize 30 `
    -Optimizer $adam -Seed $Seed -EarlyStopping -Patience 30

# The first epochs, then every 20th, then the last; '*' marks a new best validation loss.
$history | Where-Object { $_.Epoch -le 3 -or $_.Epoch % 20 -eq 0 -or $_.Epoch -eq $history[-1].Epoch } | Out-Default

# The optimizer kept its state (step count) and can continue with Update-Network or another Start-Training.
$adam | Out-Default

$net | Test-Network -Data $valid

# Pictures: the regions the network carves out of the plane, its diagram (edges coloured by the sign
# of the weight, thicker when larger), and the loss and accuracy curves.
$net | Export-Plot -Path ([System.IO.Path]::Combine($OutputFolder, 'spiral-regions.png')) -Data $train
$net | Export-Plot -Path ([System.IO.Path]::Combine($OutputFolder, 'spiral-network.png')) -Kind NetworkDiagram -Height 800
$history | Export-Plot -Path ([System.IO.Path]::Combine($OutputFolder, 'spiral-training.png')) -Width 1000 -Height 450
"Pictures written to $OutputFolder (spiral-regions.png, spiral-network.png, spiral-training.png)." | Out-Default
