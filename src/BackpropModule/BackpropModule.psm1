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
