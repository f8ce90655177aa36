# Loader: picks the build that fits this PowerShell. PowerShell 7.4+ runs on .NET 8 or later and gets
# the net8.0 build (hardware intrinsics, FMA); Windows PowerShell 5.1 and older PowerShell 7 get the
# netstandard2.0 build (System.Numerics.Vector<T>). Set $env:BACKPROP_BUILD to force one.
# Only .NET calls and Core cmdlets are used here, so the module also loads in a minimal hosted engine.
$framework = 'netstandard2.0'
if ($PSVersionTable.PSEdition -eq 'Core' -and $PSVersionTable.PSVersion -ge [version]'7.4') { $framework = 'net8.0' }
if ($env:BACKPROP_BUILD -in 'net8.0', 'netstandard2.0') { $framework = $env:BACKPROP_BUILD }
Import-Module -Name ([System.IO.Path]::Combine($PSScriptRoot, $framework, 'BackpropModule.dll')) -ErrorAction Stop
$pesterExtensions = [System.IO.Path]::Combine($PSScriptRoot, 'PesterExtensions.ps1')
if ([System.IO.File]::Exists($pesterExtensions)) { . $pesterExtensions }

# Tab completion for names the module can know but PowerShell cannot: the sets in an IDX folder, and
# the parameter names of the network being piped or passed. Without these, PowerShell offers files.
Register-ArgumentCompleter -CommandName Import-IdxDataset -ParameterName Name -ScriptBlock {
    param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
    $folder = if ($fakeBoundParameters.ContainsKey('Path')) { "$($fakeBoundParameters['Path'])" } else { '.' }
    # $ExecutionContext, not $PSCmdlet (null in a completer: every Tab left an error in $Error).
    try { $folder = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($folder) } catch { $folder = [System.IO.Path]::GetFullPath($folder) }
    $sets = @()
    if ([System.IO.Directory]::Exists($folder)) {
        foreach ($file in [System.IO.Directory]::EnumerateFiles($folder, '*-images*idx3-ubyte*')) {
            $sets += ([System.IO.Path]::GetFileName($file) -split '-images')[0]
        }
    }
    if ($sets.Count -eq 0) { $sets = 'train', 't10k' }
    $sets | Sort-Object -Unique | Where-Object { $_ -like "$wordToComplete*" } |
        ForEach-Object { [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', "the $_ images and labels") }
}

$parameterNameCompleter = {
    param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
    $source = $fakeBoundParameters["Network"]
    if (-not $source) { $source = $fakeBoundParameters['Gradient'] }
    $pipeline = $commandAst.Parent
    if (-not $source -and $pipeline -is [System.Management.Automation.Language.PipelineAst]) {
        $at = $pipeline.PipelineElements.IndexOf($commandAst)
        if ($at -gt 0) {
            $previous = $pipeline.PipelineElements[$at - 1]
            if ($previous -is [System.Management.Automation.Language.CommandExpressionAst] -and
                $previous.Expression -is [System.Management.Automation.Language.VariableExpressionAst]) {
                $source = Get-Variable -Name $previous.Expression.VariablePath.UserPath -ValueOnly -ErrorAction Ignore
            }
        }
    }
    $network = if ($source -is [BackpropModule.Engine.Network]) { $source }
    elseif ($source -is [BackpropModule.Engine.Gradients]) { $source.Network }
    $names = if ($network) { foreach ($p in $network.Parameters) { $p.Name } } else { 'W1', 'b1', 'W2', 'b2' }
    # Set-NetworkParameter also sets BatchNorm running statistics; Test-Gradient checks parameters only.
    if ($network -and $commandName -eq 'Set-NetworkParameter') {
        $names = @($names) + @(foreach ($bn in $network.BatchNorm) { $bn.RunningMeanName; $bn.RunningVarianceName })
    }
    $names | Where-Object { $_ -like "$wordToComplete*" } |
        ForEach-Object { [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_) }
}
Register-ArgumentCompleter -CommandName Test-Gradient -ParameterName ParameterName -ScriptBlock $parameterNameCompleter
Register-ArgumentCompleter -CommandName Set-NetworkParameter -ParameterName Name -ScriptBlock $parameterNameCompleter
