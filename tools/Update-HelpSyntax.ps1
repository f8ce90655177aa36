<#
.SYNOPSIS
    Rewrites the <command:syntax> block of every cmdlet in en-US/BackpropModule.dll-Help.xml from
    the compiled cmdlets' parameter sets, so Get-Help shows the syntax Get-Command knows.
.DESCRIPTION
    One syntaxItem per parameter set (default set first), each parameter with the set's own
    required flag, position and pipeline binding; descriptions are taken from the command's
    <command:parameters> section. Run after adding or changing a parameter:
        dotnet pwsh ./tools/Update-HelpSyntax.ps1
    tests/Help.Tests.ps1 fails while the help and the cmdlets disagree.
#>
[CmdletBinding()]
param([string] $ModuleManifest = [System.IO.Path]::Combine($PSScriptRoot, '..', 'out', 'BackpropModule', 'BackpropModule.psd1'))
$ErrorActionPreference = 'Stop'
$helpPath = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', 'en-US', 'BackpropModule.dll-Help.xml'))
Import-Module $ModuleManifest -Force
$common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
$text = [System.IO.File]::ReadAllText($helpPath)

function ConvertTo-XmlText([string] $s) { [System.Security.SecurityElement]::Escape($s) }

function Get-SyntaxBlock($command, [string] $commandXml) {
    $descriptions = @{}
    $globbing = @{}
    foreach ($m in [regex]::Matches($commandXml, '(?s)<command:parameters>.*?</command:parameters>')) {
        foreach ($p in [regex]::Matches($m.Value, '(?s)<command:parameter ([^>]*)>\s*<maml:name>([^<]+)</maml:name>\s*(<maml:description>.*?</maml:description>)')) {
            $descriptions[$p.Groups[2].Value] = $p.Groups[3].Value
            $globbing[$p.Groups[2].Value] = $p.Groups[1].Value -match 'globbing="true"'
        }
    }
    $sets = @($command.ParameterSets | Sort-Object { -not $_.IsDefault }, Name)
    $sb = [System.Text.StringBuilder]::new()
    $null = $sb.Append("<command:syntax>`n")
    foreach ($set in $sets) {
        $null = $sb.Append("      <command:syntaxItem>`n        <maml:name>$($command.Name)</maml:name>`n")
        foreach ($p in $set.Parameters | Where-Object { $_.Name -notin $common }) {
            $type = $p.ParameterType
            $typeName = if ($type -eq [System.Management.Automation.SwitchParameter]) { 'SwitchParameter' } else { $type.Name }
            $pipeline = @()
            if ($p.ValueFromPipeline) { $pipeline += 'ByValue' }
            if ($p.ValueFromPipelineByPropertyName) { $pipeline += 'ByPropertyName' }
            $pipelineText = if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }
            $position = if ($p.Position -ge 0) { $p.Position } else { 'named' }
            $required = "$($p.IsMandatory)".ToLowerInvariant()
            $variable = "$($type.IsArray)".ToLowerInvariant()
            $glob = "$([bool]$globbing[$p.Name])".ToLowerInvariant()
            $null = $sb.Append("        <command:parameter required=`"$required`" variableLength=`"$variable`" globbing=`"$glob`" pipelineInput=`"$pipelineText`" position=`"$position`">`n")
            $null = $sb.Append("          <maml:name>$($p.Name)</maml:name>`n")
            $description = $descriptions[$p.Name]
            if ($description) { $null = $sb.Append("          $description`n") }
            if ($typeName -ne 'SwitchParameter') {
                $null = $sb.Append("          <command:parameterValue required=`"true`" variableLength=`"$variable`">$(ConvertTo-XmlText $typeName)</command:parameterValue>`n")
            }
            $null = $sb.Append("        </command:parameter>`n")
        }
        $null = $sb.Append("      </command:syntaxItem>`n")
    }
    $null = $sb.Append('    </command:syntax>')
    $sb.ToString()
}

$commandPattern = '(?s)<command:command\b.*?</command:command>'
$text = [regex]::Replace($text, $commandPattern, {
        param($m)
        $block = $m.Value
        $name = [regex]::Match($block, '<command:name>([^<]+)</command:name>').Groups[1].Value
        $command = Get-Command -Name $name -Module BackpropModule -ErrorAction SilentlyContinue
        if (-not $command) { Write-Warning "No cmdlet $name; its help is left as it is."; return $block }
        $syntax = Get-SyntaxBlock $command $block
        [regex]::Replace($block, '(?s)<command:syntax>.*?</command:syntax>', { param($s) $syntax })
    })
[System.IO.File]::WriteAllText($helpPath, $text, [System.Text.UTF8Encoding]::new($false))
Write-Information "Updated $helpPath" -InformationAction Continue
