# Pester 5 scenarios for the file rules every reader and writer follows (about_BackpropModule,
# "Files"; Export-Plot follows them too; issue 10 D4 D7 D10 D11 D13 D14 D17 D18 D19 D21 D23 D24, issue 15 file-size limit).
# Engine details (allocation budgets, injected failures, the fuzz harness) are in
# tests/BackpropModule.Engine.Tests/Files and Fuzz.
BeforeDiscovery {
    $writers = @(
        @{ Name = 'Save-Network'; File = 'n.json'; Write = { param($n, $p, $f) $n | Save-Network -Path $p -Force:$f } }
        @{ Name = 'Export-NetworkOnnx'; File = 'n.onnx'; Write = { param($n, $p, $f) $n | Export-NetworkOnnx -Path $p -Force:$f } }
        @{ Name = 'Export-Workbook'; File = 'n.xlsx'; Write = { param($n, $p, $f) $n | Export-Workbook -Path $p -Force:$f } }
        @{ Name = 'Export-Plot'; File = 'n.png'; Write = { param($n, $p, $f) $n.Parameters[0].Value | Export-Plot -Path $p -Force:$f } }
    )
    $unix = $IsLinux -or $IsMacOS
    $root = $unix -and (& id -u) -eq '0'
    $hasSetpriv = $root -and [bool](Get-Command setpriv -ErrorAction Ignore)
}

BeforeAll {
    Import-Module "$PSScriptRoot/../out/BackpropModule/BackpropModule.psd1" -Force
    # Runs a script in a child pwsh with the module; $Prefix goes before the command in bash (ulimit, setpriv).
    function Invoke-Child([string] $Script, [string] $Prefix = '') {
        $file = [System.IO.Path]::Combine($folder, 'child.ps1')
        $module = [System.IO.Path]::GetFullPath("$PSScriptRoot/../out/BackpropModule/BackpropModule.psd1")
        [System.IO.File]::WriteAllText($file, "Import-Module '$module'`n" + $Script)
        $dotnet = [System.Environment]::ProcessPath
        if ([System.IO.Path]::GetFileNameWithoutExtension($dotnet) -ne 'dotnet') { $dotnet = 'dotnet' }
        & bash -c "$Prefix '$dotnet' '$PSHOME/pwsh.dll' -NoProfile -NonInteractive -File '$file'" 2>&1
    }
}

Describe 'Writers' {
    BeforeEach {
        $folder = [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), [guid]::NewGuid().ToString('N'))).FullName
        $net = New-Network 3, 4, 2 -Seed 1
    }
    AfterEach {
        Get-ChildItem $folder -Recurse -File -Force | ForEach-Object { $_.Attributes = 'Normal' }
        [System.IO.Directory]::Delete($folder, $true)
    }

    Context 'Given <Name> and a target that is not a regular file' -ForEach $writers {
        It 'refuses a folder with PathNotFile and leaves it' {
            $dir = [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine($folder, $File)).FullName
            { & $Write $net $dir $false } | Should -Throw -ErrorId 'PathNotFile,*'
            [System.IO.Directory]::Exists($dir) | Should -BeTrue
        }
        It 'refuses a device, also through a link, with PathNotFile' -Skip:(-not $unix) {
            { & $Write $net '/dev/null' $true } | Should -Throw -ErrorId '*,*'
            $link = [System.IO.Path]::Combine($folder, $File)
            $null = New-Item -ItemType SymbolicLink -Path $link -Target /dev/null
            { & $Write $net $link $true } | Should -Throw -ErrorId 'PathNotFile,*'
            (& stat -c '%F' /dev/null) | Should -Be 'character special file'
        }
        It 'refuses a FIFO with PathNotFile, without blocking' -Skip:(-not $unix) {
            $fifo = [System.IO.Path]::Combine($folder, $File)
            & mkfifo $fifo
            { & $Write $net $fifo $false } | Should -Throw -ErrorId 'PathNotFile,*'
        }
        It 'refuses an Env: path with PathProviderUnsupported and writes nothing' {
            Push-Location $folder
            try { { & $Write $net 'Env:\BPX' $false } | Should -Throw -ErrorId 'PathProviderUnsupported,*' }
            finally { Pop-Location }
            Get-ChildItem $folder | Should -BeNullOrEmpty
            $env:BPX | Should -BeNullOrEmpty
        }
        It 'refuses a NUL in the path with PathInvalid' {
            { & $Write $net ([System.IO.Path]::Combine($folder, "a`0b")) $false } | Should -Throw -ErrorId 'PathInvalid,*'
        }
    }

    Context 'Given <Name> and an existing private file' -ForEach $writers {
        It 'keeps mode 0600' -Skip:(-not $unix) {
            $path = [System.IO.Path]::Combine($folder, $File)
            [System.IO.File]::WriteAllText($path, 'old')
            & chmod 600 $path
            & $Write $net $path $false
            (& stat -c '%a' $path) | Should -Be '600'
            [System.IO.File]::ReadAllText($path) | Should -Not -Be 'old'
        }
    }

    Context 'Given <Name> and a read-only file' -ForEach $writers {
        It 'refuses without -Force, and replaces it with -Force keeping it read-only' {
            $path = [System.IO.Path]::Combine($folder, $File)
            [System.IO.File]::WriteAllText($path, 'old')
            if ($IsWindows) { (Get-Item $path).IsReadOnly = $true } else { & chmod 444 $path }
            { & $Write $net $path $false } | Should -Throw -ErrorId 'OutputFileReadOnly,*'
            [System.IO.File]::ReadAllText($path) | Should -Be 'old'
            & $Write $net $path $true
            [System.IO.File]::ReadAllText($path) | Should -Not -Be 'old'
            if ($IsWindows) { (Get-Item $path).IsReadOnly | Should -BeTrue } else { (& stat -c '%a' $path) | Should -Be '444' }
        }
    }

    Context 'Given <Name> and a symbolic link' -ForEach $writers {
        It 'writes through to the target and keeps the link' -Skip:(-not $unix) {
            $target = [System.IO.Path]::Combine($folder, "real-$File")
            $link = [System.IO.Path]::Combine($folder, $File)
            [System.IO.File]::WriteAllText($target, 'old')
            $null = New-Item -ItemType SymbolicLink -Path $link -Target $target
            & $Write $net $link $false
            (Get-Item $link).LinkType | Should -Be 'SymbolicLink'
            [System.IO.File]::ReadAllText($target) | Should -Not -Be 'old'
        }
    }

    Context 'Given the file-size limit (ulimit -f) is hit' -Skip:(-not $IsLinux) {
        It 'every writer gives OutputFileWriteFailed, as on a full disk, and leaves no file' {
            # The net8.0 build cancels SIGXFSZ itself (by default the signal ends the process); the
            # netstandard2.0 build needs it ignored by the parent. W^X double mapping needs large
            # memory-file writes, so it is turned off.
            $trap = if ($env:BACKPROP_BUILD -eq 'netstandard2.0') { "trap '' XFSZ;" } else { '' }
            $out = Invoke-Child -Prefix "$trap ulimit -f 200; DOTNET_EnableWriteXorExecute=0" -Script @"
`$net = New-Network 784, 300, 10 -Seed 1
foreach (`$w in { `$net | Save-Network -Path '$folder/n.json' }, { `$net | Export-NetworkOnnx -Path '$folder/n.onnx' }, { `$net | Export-Workbook -Path '$folder/n.xlsx' }) {
    try { & `$w; 'WROTE' } catch { `$_.FullyQualifiedErrorId.Split(',')[0] + ' | ' + `$_.Exception.Message }
}
'STILL RUNNING'
"@
            $lines = @($out | Where-Object { $_ -match '\|' })
            $lines.Count | Should -Be 3
            $out | Should -Contain 'STILL RUNNING'
            foreach ($line in $lines) {
                $line | Should -BeLike 'OutputFileWriteFailed | *ulimit -f*Any existing file was left unchanged.'
            }
            Get-ChildItem $folder -Force | Where-Object Name -ne 'child.ps1' | Should -BeNullOrEmpty
        }
    }
}

Describe 'Readers' {
    BeforeEach {
        $folder = [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), [guid]::NewGuid().ToString('N'))).FullName
        $good = [System.IO.Path]::Combine($folder, 'good.json')
        New-Network 2, 3, 2 -Seed 1 | Save-Network -Path $good
    }
    AfterEach { [System.IO.Directory]::Delete($folder, $true) }

    Context 'Given Import-Network and a wildcard that matches nothing' {
        It 'reports NetworkFileNotFound and still reads the other paths' {
            $nets = Import-Network -Path ([System.IO.Path]::Combine($folder, 'nomatch*.json')), $good -ErrorVariable errs -ErrorAction SilentlyContinue
            @($nets).Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'NetworkFileNotFound,*'
        }
    }

    Context 'Given Import-Network and paths that are not regular files' {
        It 'says a folder is a folder (PathNotFile), not missing' {
            $err = { Import-Network -Path $folder -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFile,*' -PassThru
            $err.Exception.Message | Should -BeLike '*is a folder*'
        }
        It 'refuses /dev/zero by type instead of reading until memory runs out' -Skip:(-not (Test-Path /dev/zero)) {
            { Import-Network -Path /dev/zero -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFile,*'
        }
        It 'refuses a FIFO by type instead of blocking' -Skip:(-not ($IsLinux -or $IsMacOS)) {
            $fifo = [System.IO.Path]::Combine($folder, 'fifo.json')
            & mkfifo $fifo
            { Import-Network -LiteralPath $fifo -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFile,*'
        }
        It 'refuses an Env: path and a NUL' {
            { Import-Network -Path Env:\PATH -ErrorAction Stop } | Should -Throw -ErrorId 'PathProviderUnsupported,*'
            { Import-Network -Path "a`0b" -ErrorAction Stop } | Should -Throw -ErrorId 'PathInvalid,*'
        }
    }

    Context 'Given an unreadable network file before a good one' -Skip:(-not $hasSetpriv -and $root) {
        It 'reports NetworkFileReadFailed for it and still loads the next one' {
            $secret = [System.IO.Path]::Combine($folder, 'secret.json')
            Copy-Item $good $secret
            & chmod 000 $secret
            & chmod 755 $folder
            # Root reads any file, so the child drops the capabilities that let it (CAP_DAC_*).
            $prefix = if ($root) { 'setpriv --bounding-set=-dac_override,-dac_read_search --' } else { '' }
            $out = Invoke-Child -Prefix $prefix -Script @"
`$n = Import-Network -Path '$secret', '$good' -ErrorVariable e -ErrorAction SilentlyContinue
'LOADED ' + @(`$n).Count
'ERROR ' + `$e[0].FullyQualifiedErrorId.Split(',')[0]
'CATEGORY ' + `$e[0].CategoryInfo.Category
"@
            $out | Should -Contain 'LOADED 1'
            $out | Should -Contain 'ERROR NetworkFileReadFailed'
            $out | Should -Contain 'CATEGORY PermissionDenied'
        }
        It 'reports a folder it may not write to as PermissionDenied, naming the target, not a temporary file' {
            $locked = [System.IO.Path]::Combine($folder, 'locked')
            New-Item -ItemType Directory -Path $locked | Out-Null
            & chmod 555 $locked
            $target = [System.IO.Path]::Combine($locked, 'n.json')
            $prefix = if ($root) { 'setpriv --bounding-set=-dac_override,-dac_read_search --' } else { '' }
            $out = Invoke-Child -Prefix $prefix -Script @"
try { New-Network 2,2 -Seed 1 | Save-Network -Path '$target' -ErrorAction Stop }
catch { 'ERROR ' + `$_.FullyQualifiedErrorId.Split(',')[0]; 'CATEGORY ' + `$_.CategoryInfo.Category; 'MESSAGE ' + `$_.Exception.Message }
"@
            & chmod 755 $locked
            $out | Should -Contain 'ERROR OutputFileWriteFailed'
            $out | Should -Contain 'CATEGORY PermissionDenied'
            $message = @($out | Where-Object { $_ -like 'MESSAGE *' })[0]
            $message | Should -BeLike "*$target*"
            $message | Should -Not -BeLike '*.tmp*'
            Get-ChildItem -Force $locked | Should -BeNullOrEmpty
        }
    }

    Context 'Given Import-IdxDataset and a folder as -ImagePath' {
        It 'says it is a folder (PathNotFile)' {
            $labels = [System.IO.Path]::Combine($folder, 'l')
            [BackpropModule.Engine.Data.IdxWriter]::WriteLabels($labels, [byte[]](1, 2), $false)
            $err = { Import-IdxDataset -ImagePath $folder -LabelPath $labels } | Should -Throw -ErrorId 'PathNotFile,*' -PassThru
            $err.Exception.Message | Should -BeLike '*is a folder*'
        }
    }

    Context 'Given a damaged gzip IDX file' {
        BeforeEach {
            $images = [System.IO.Path]::Combine($folder, 'train-images-idx3-ubyte.gz')
            $labels = [System.IO.Path]::Combine($folder, 'train-labels-idx1-ubyte.gz')
            $pixels = [byte[]]::new(5 * 16)
            [System.Random]::new(2).NextBytes($pixels)
            [BackpropModule.Engine.Data.IdxWriter]::WriteImages($images, $pixels, 4, 4, $true)
            [BackpropModule.Engine.Data.IdxWriter]::WriteLabels($labels, [byte[]](1, 2, 3, 4, 5), $true)
            $bytes = [System.IO.File]::ReadAllBytes($images)
        }
        It 'refuses a cut-off trailer with a flipped byte (D4)' {
            $cut = $bytes[0..($bytes.Length - 9)]
            $cut[[int]($cut.Length / 2)] = $cut[[int]($cut.Length / 2)] -bxor 0x10
            [System.IO.File]::WriteAllBytes($images, [byte[]]$cut)
            $err = { Import-IdxDataset -Path $folder } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeIn @('IdxTruncated,BackpropModule.Commands.ImportIdxDatasetCommand', 'IdxGzipInvalid,BackpropModule.Commands.ImportIdxDatasetCommand')
        }
        It 'calls a bad CRC a CRC mismatch (D19)' {
            $bytes[$bytes.Length - 8] = $bytes[$bytes.Length - 8] -bxor 0xFF
            [System.IO.File]::WriteAllBytes($images, $bytes)
            $err = { Import-IdxDataset -Path $folder } | Should -Throw -ErrorId 'IdxGzipInvalid,*' -PassThru
            $err.Exception.Message | Should -BeLike '*CRC-32*'
            $err.Exception.Message | Should -Not -BeLike '*compression method*'
        }
        It 'refuses junk after the gzip stream as IdxTrailingData, like a raw file (D24)' {
            [System.IO.File]::WriteAllBytes($images, [byte[]]($bytes + [byte[]](0, 1, 2)))
            { Import-IdxDataset -Path $folder } | Should -Throw -ErrorId 'IdxTrailingData,*'
        }
    }
}

Describe 'Export-Workbook text and existing workbooks' {
    BeforeEach {
        $folder = [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), [guid]::NewGuid().ToString('N'))).FullName
        $path = [System.IO.Path]::Combine($folder, 'w.xlsx')
        $net = New-Network 2, 3, 2 -Seed 1
    }
    AfterEach { [System.IO.Directory]::Delete($folder, $true) }

    It 'refuses a control character in -Prefix with WorksheetNameInvalid' {
        { $net | Export-Workbook -Path $path -Prefix "a`vb" } | Should -Throw -ErrorId 'WorksheetNameInvalid,*'
    }
    It 'refuses a control character in -WorksheetName with WorksheetNameInvalid' {
        { $net.Parameters[0].Value | Export-Workbook -Path $path -WorksheetName "a`vb" } | Should -Throw -ErrorId 'WorksheetNameInvalid,*'
    }
    It 'refuses a control character in a property name with WorkbookInputUnsupported' {
        { [pscustomobject]@{ Epoch = 1; "lo`vss" = 0.5 } | Export-Workbook -Path $path } | Should -Throw -ErrorId 'WorkbookInputUnsupported,*'
        [System.IO.File]::Exists($path) | Should -BeFalse
    }
    It 'refuses -Append onto a workbook with a malformed workbook.xml with WorkbookInvalid and leaves it' {
        $net | Export-Workbook -Path $path
        Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::Open($path, 'Update')
        try {
            $zip.GetEntry('xl/workbook.xml').Delete()
            $writer = [System.IO.StreamWriter]::new($zip.CreateEntry('xl/workbook.xml').Open())
            $writer.Write('<workbook><oops'); $writer.Dispose()
        }
        finally { $zip.Dispose() }
        $before = [System.IO.File]::ReadAllBytes($path)
        { $net | Export-Workbook -Path $path -Append -Prefix 'E2.' } | Should -Throw -ErrorId 'WorkbookInvalid,*'
        [System.IO.File]::ReadAllBytes($path) | Should -Be $before
    }
}
