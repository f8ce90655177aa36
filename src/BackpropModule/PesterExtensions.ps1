# Pester integration: registers the Should operator -PassGradientCheck when Pester is loaded.
#
# The module cannot see Pester being imported after it, so the operator is registered at import time
# only. That covers the usual case without an exported function: Invoke-Pester loads Pester before it
# runs a test file, so a test file's `Import-Module BackpropModule` (in BeforeAll) finds it. In an
# interactive session, run `Import-Module Pester` first, or `Import-Module BackpropModule -Force` after.
#
#   $net | Invoke-Forward -X $x -T $t | Should -PassGradientCheck     # backprop's gradient on that pass
#   $grad | Should -PassGradientCheck                                  # gradients from Invoke-Backward (edited or not)
#   $net | Test-Gradient -X $x -T $t | Should -PassGradientCheck      # results already computed
#   $grad | Should -Not -PassGradientCheck                             # a deliberately broken gradient
#   ... | Should -PassGradientCheck -ExpectedValue 1e-5                # a looser tolerance (default 1e-7)

$script:PassGradientCheckOperator = {
    param($ActualValue, [switch] $Negate, $ExpectedValue, [string] $Because)

    $tolerance = if ($null -ne $ExpectedValue) { [double] $ExpectedValue } else { 1e-7 }
    # Test-Gradient accepts tolerances up to 2, the largest relative error of finite values.
    $checkTolerance = [Math]::Min([Math]::Max($tolerance, 1e-16), 2.0)
    $reason = if ($Because) { " because $($Because.TrimEnd('.'))," } else { '' }
    $results = [System.Collections.Generic.List[object]]::new()
    try {
        foreach ($item in @($ActualValue)) {
            $value = if ($item -is [psobject]) { $item.psobject.BaseObject } else { $item }
            if ($value -is [BackpropModule.Engine.ForwardPass]) {
                $summary = Invoke-Backward -ForwardPass $value | Test-Gradient -Tolerance $checkTolerance -Summary -ErrorAction Stop
                foreach ($r in $summary.Results) { $results.Add($r) }
            }
            elseif ($value -is [BackpropModule.Engine.Gradients]) {
                $summary = Test-Gradient -Gradient $value -Tolerance $checkTolerance -Summary -ErrorAction Stop
                foreach ($r in $summary.Results) { $results.Add($r) }
            }
            elseif ($value -is [BackpropModule.Engine.Checking.GradientCheckSummary]) {
                foreach ($r in $value.Results) { $results.Add($r) }
            }
            elseif ($value -is [BackpropModule.Engine.Checking.GradientCheckResult]) {
                $results.Add($value)
            }
            else {
                $got = if ($null -eq $value) { '$null' } else { $value.GetType().FullName }
                return [pscustomobject]@{
                    Succeeded      = $false
                    FailureMessage = "Should -PassGradientCheck needs a ForwardPass (Invoke-Forward with -Target), Gradients (Invoke-Backward) or Test-Gradient results; got $got."
                }
            }
        }
    }
    catch {
        return [pscustomobject]@{ Succeeded = $false; FailureMessage = "The gradient check could not run: $($_.Exception.Message)" }
    }

    if ($results.Count -eq 0) {
        return [pscustomobject]@{ Succeeded = $false; FailureMessage = 'Should -PassGradientCheck got nothing to check.' }
    }
    $failed = @($results | Where-Object { -not ($_.MaxRelError -le $tolerance) })
    $worst = $results[0]
    foreach ($r in $results) { if ($r.MaxRelError -gt $worst.MaxRelError) { $worst = $r } }
    $passed = $failed.Count -eq 0
    $culture = [cultureinfo]::InvariantCulture
    $detail = [string]::Format($culture, '{0} at row {1}, column {2}: analytic {3:R}, numerical {4:R}, relative error {5:G3} (tolerance {6:G3})',
        $worst.Gradient, $worst.WorstRow, $worst.WorstColumn, $worst.Analytic, $worst.Numerical, $worst.MaxRelError, $tolerance)
    if ($Negate) {
        return [pscustomobject]@{
            Succeeded      = -not $passed
            FailureMessage = "Expected the gradient check to fail,$reason but every parameter passed; the worst was $detail."
        }
    }
    [pscustomobject]@{
        Succeeded      = $passed
        FailureMessage = "Expected the gradient check to pass,$reason but $(@($failed | ForEach-Object { $_.Gradient }) -join ', ') failed; the worst was $detail."
    }
}

$addShouldOperator = Get-Command Add-ShouldOperator -ErrorAction Ignore
if ($addShouldOperator) {
    $operator = @{ Name = 'PassGradientCheck'; Test = $script:PassGradientCheckOperator }
    if ($addShouldOperator.Parameters.ContainsKey('SupportsArrayInput')) { $operator.SupportsArrayInput = $true }
    try { Add-ShouldOperator @operator }
    catch { Write-Warning "Should -PassGradientCheck was not registered: $($_.Exception.Message)" }
}
