<#
.SYNOPSIS
    Tutorial 000: the 3-4-3 ReLU/softmax network with the tutorial's own printed weights.
.DESCRIPTION
    The tutorial draws x, w1, b1, w2, b2 with numpy, runs one forward and backward pass and prints
    the loss (0.4813766638499986) and the four weight arrays. It does not print x. The loss fixes
    one number, not three, so the input is taken on the diagonal x = (s, s, s), s in [0, 1) (the
    range of np.random.rand), and s is the smallest root of "tutorial loss(s) = printed loss",
    found by bisection on [0, 0.1], where the tutorial loss falls monotonically (run with
    -FindInput to repeat the search). It gives s = 0.0855027793023005.

    The tutorial's loss is -np.mean(t * log(y + 1e-8)): a mean over the 3 classes, with 1e-8 inside
    the log. The module's cross-entropy is -sum(t * log y), so for one sample of class 0
        tutorial = -ln(exp(-module) + 1e-8) / 3        (about module / 3 - 1.4e-8)
    Writes one row per figure: the tutorial's value, the module's and how they relate.
#>
param([switch] $FindInput)

$net = New-Network -Activation ReLU -Output Softmax -Parameters @{
    W1 = @(@(-0.81608621, 0.78189308, -1.98234178, 0.52644459),
           @( 0.21205568, 0.86098345, 0.1558696, -0.62931689),
           @( 1.21615824, -0.51937533, 0.33134833, -0.43714047))
    b1 = -0.58540344, -0.44224125, 0.46466139, -0.06018246
    W2 = @(@( 0.01044176, -0.0790746, -0.70335393),
           @(-0.65571456, -0.10833987, 0.32557463),
           @(-0.52371017, 0.08358353, -0.26835567),
           @(-0.77081821, 0.52365595, -0.10367158))
    b2 = 0.7871995, 1.71908927, -1.39842447
}
$printedLoss = 0.4813766638499986

# The documented conversion from the module's loss to the tutorial's (class 0 is the target).
function ConvertTo-TutorialLoss([double] $ModuleLoss) { -[Math]::Log([Math]::Exp(-$ModuleLoss) + 1e-8) / 3 }
function Get-TutorialLoss([double] $s) { ConvertTo-TutorialLoss ($net | Invoke-Forward -InputObject $s, $s, $s -Target 0).Loss }

$s = 0.0855027793023005
if ($FindInput) {
    $lo = 0.0; $hi = 0.1
    while ($true) {
        $mid = ($lo + $hi) / 2
        if ($mid -eq $lo -or $mid -eq $hi) { break }
        if ((Get-TutorialLoss $mid) -gt $printedLoss) { $lo = $mid } else { $hi = $mid }
    }
    $s = $lo
}

$pass = $net | Invoke-Forward -InputObject $s, $s, $s -Target 0
$grad = $pass | Invoke-Backward
$converted = ConvertTo-TutorialLoss $pass.Loss

[pscustomobject]@{ Tutorial = '000'; Figure = 'input s, x = (s,s,s)'; TutorialValue = $null; ModuleValue = $s; Relation = 'not printed; bisection on the printed loss' }
[pscustomobject]@{ Tutorial = '000'; Figure = 'loss'; TutorialValue = $printedLoss; ModuleValue = $pass.Loss; Relation = 'module = sum over classes, no 1e-8' }
[pscustomobject]@{ Tutorial = '000'; Figure = 'loss, converted'; TutorialValue = $printedLoss; ModuleValue = $converted; Relation = ('-ln(exp(-L)+1e-8)/3; off by {0:G2}' -f ($converted - $printedLoss)) }
[pscustomobject]@{ Tutorial = '000'; Figure = 'loss / 3'; TutorialValue = $printedLoss; ModuleValue = $pass.Loss / 3; Relation = ('plain /3 ignores the 1e-8: off by {0:G2}' -f ($pass.Loss / 3 - $printedLoss)) }
# What the tutorial computes but does not print, under its own names.
[pscustomobject]@{ Tutorial = '000'; Figure = 'dout2 = y - t'; TutorialValue = $null; ModuleValue = $grad.da2; Relation = '$grad.da2 (batch of 1)' }
[pscustomobject]@{ Tutorial = '000'; Figure = 'dx2 = dout2 . w2^T'; TutorialValue = $null; ModuleValue = $grad.dx2; Relation = '$grad.dx2' }
[pscustomobject]@{ Tutorial = '000'; Figure = 'dout1 = drelu(dx2)'; TutorialValue = $null; ModuleValue = $grad.da1; Relation = '$grad.da1' }
[pscustomobject]@{ Tutorial = '000'; Figure = 'dw1'; TutorialValue = $null; ModuleValue = $grad.dW1; Relation = 'printed as "w1" under the gradient heading: it prints w1, not dw1' }
