<#
.SYNOPSIS
Install Quadrangle on Windows from this offline bundle, without any network.

.DESCRIPTION
Checks every file against SHA256SUMS first (with verify_bundle.py, the same check install.sh runs) and
refuses a damaged or altered bundle before anything is written. Then creates a virtual environment in
<Prefix>\venv, installs the bundle's wheels with pip --no-index, adds a Start-menu shortcut and a
`quadrangle` command on your PATH (<Prefix>\bin). Upgrading replaces only <Prefix>\venv: your database
(in %LOCALAPPDATA%\Quadrangle, or QUADRANGLE_HOME) is never touched.

.EXAMPLE
powershell -ExecutionPolicy Bypass -File install.ps1

.EXAMPLE
powershell -ExecutionPolicy Bypass -File install.ps1 -Prefix D:\Apps\Quadrangle -Python C:\Python312\python.exe
#>
[CmdletBinding()]
param(
    # Folder for the program (default %LOCALAPPDATA%\Programs\Quadrangle).
    [string]$Prefix = (Join-Path $env:LOCALAPPDATA 'Programs\Quadrangle'),
    # python.exe to build the virtual environment with (default: the newest 3.11+ the bundle supports).
    [string]$Python = '',
    # Do not create the Start-menu shortcut.
    [switch]$NoMenu,
    # Do not add <Prefix>\bin to your PATH.
    [switch]$NoPath
)

Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'
$Prog = 'install.ps1'
$Bundle = $PSScriptRoot
$Verifier = Join-Path $Bundle 'verify_bundle.py'

function Fail([string]$Message, [int]$Status = 1) {
    [Console]::Error.WriteLine("${Prog}: $Message")
    exit $Status
}

function Say([string]$Message) {
    Write-Host "${Prog}: $Message"
}

# The full path of a Python 3.11+ reached by $Exe (plus $Arguments, e.g. py -3.12), or $null.
function Resolve-Python([string]$Exe, [string[]]$Arguments) {
    try {
        $found = & $Exe @Arguments -c 'import sys; print(sys.executable if sys.version_info >= (3, 11) else str())' 2>$null
        if ($LASTEXITCODE -eq 0 -and $found) { return ([string]($found | Select-Object -Last 1)).Trim() }
    } catch {
        # Not installed, or the Microsoft Store placeholder: try the next candidate.
    }
    return $null
}

# Runs a program and returns its exit status. Windows PowerShell 5.1 can turn a native program's stderr
# into error records (when output is redirected), which 'Stop' would make a failure of its own: here
# only the exit status counts.
function Invoke-Native([string]$Exe, [string[]]$Arguments) {
    $ErrorActionPreference = 'Continue'
    & $Exe @Arguments | Out-Host
    return $LASTEXITCODE
}

# -- 1. A Python 3.11+ that this bundle has wheels for -------------------------------------------------
$PyExe = $null
if ($Python) {
    $PyExe = Resolve-Python $Python @()
    if (-not $PyExe) { Fail "-Python $Python is not a working Python 3.11 or newer" }
} else {
    $candidates = @(
        @{ Exe = 'py'; Arguments = @('-3.13') },
        @{ Exe = 'py'; Arguments = @('-3.12') },
        @{ Exe = 'py'; Arguments = @('-3.11') },
        @{ Exe = 'python'; Arguments = @() },
        @{ Exe = 'python3'; Arguments = @() }
    )
    $fallback = $null
    foreach ($candidate in $candidates) {
        $path = Resolve-Python $candidate.Exe $candidate.Arguments
        if (-not $path) { continue }
        if (-not $fallback) { $fallback = $path }
        if ((Invoke-Native $path @($Verifier, 'supports', $Bundle)) -eq 0) { $PyExe = $path; break }
    }
    if (-not $PyExe) { $PyExe = $fallback }
    if (-not $PyExe) {
        Fail 'needs Python 3.11 or newer: run the python.org installer (it works offline) and run this again, or pass -Python PATH'
    }
}

# -- 2. Checksums first: nothing is written before the whole bundle checks out ---------------------------
$env:QUADRANGLE_INSTALLER = $Prog
$status = Invoke-Native $PyExe @($Verifier, 'verify', $Bundle)
if ($status -ne 0) { exit $status }
$Version = ([string](& $PyExe $Verifier version $Bundle)).Trim()

# -- 3. Checks before writing anything -------------------------------------------------------------------
if ((Invoke-Native $PyExe @('-c', 'import ensurepip, venv')) -ne 0) { Fail "$PyExe cannot create virtual environments: repair or reinstall that Python" }

$Prefix = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Prefix).TrimEnd('\')
if ($env:QUADRANGLE_HOME) { $DataDir = $env:QUADRANGLE_HOME } else { $DataDir = Join-Path $env:LOCALAPPDATA 'Quadrangle' }
$DataDir = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($DataDir).TrimEnd('\')
$ignoreCase = [StringComparison]::OrdinalIgnoreCase
if (("$Prefix\").StartsWith("$DataDir\", $ignoreCase)) {
    Fail "-Prefix $Prefix is inside your data folder ${DataDir}: choose another folder for the program"
}
if (("$DataDir\").StartsWith("$Prefix\", $ignoreCase)) {
    Fail "your data folder $DataDir is inside -Prefix ${Prefix}: choose another folder for the program"
}
$Marker = Join-Path $Prefix '.quadrangle-install'
if ((Test-Path -LiteralPath $Prefix) -and -not (Test-Path -LiteralPath $Marker) -and
    @(Get-ChildItem -LiteralPath $Prefix -Force).Count -gt 0) {
    Fail "$Prefix is not empty and holds no Quadrangle installation: choose a new or empty -Prefix"
}

# -- 4. The program: a fresh virtual environment, the previous one kept until the new one works -----------
$Venv = Join-Path $Prefix 'venv'
$Previous = Join-Path $Prefix 'venv.previous'
New-Item -ItemType Directory -Force -Path $Prefix | Out-Null
if (Test-Path -LiteralPath $Previous) {
    # An earlier install was cut off (power loss, closed window): keep whichever program still starts.
    $current = Join-Path $Venv 'Scripts\quadrangle.exe'
    if ((Test-Path -LiteralPath $current) -and (Invoke-Native $current @('--version')) -eq 0) {
        Remove-Item -LiteralPath $Previous -Recurse -Force
    } else {
        if (Test-Path -LiteralPath $Venv) { Remove-Item -LiteralPath $Venv -Recurse -Force }
        Rename-Item -LiteralPath $Previous -NewName 'venv'
    }
}
if (Test-Path -LiteralPath $Venv) {
    try {
        Rename-Item -LiteralPath $Venv -NewName 'venv.previous'
    } catch {
        Fail "cannot replace $Venv (is Quadrangle still running?): close Quadrangle and run the installer again"
    }
}

function Install-Program {
    $ErrorActionPreference = 'Continue'  # pip's warnings on stderr are not failures; exit statuses are checked
    & $PyExe -m venv $Venv | Out-Host
    if ($LASTEXITCODE -ne 0) { return $false }
    # Only the bundle's wheels: no index, no configured find-links, constraints or pip.ini.
    $saved = @{}
    foreach ($item in @(Get-ChildItem Env: | Where-Object { $_.Name -like 'PIP_*' -or $_.Name -eq 'PYTHONPATH' -or $_.Name -eq 'PYTHONHOME' })) {
        $saved[$item.Name] = $item.Value
        Remove-Item -LiteralPath "Env:$($item.Name)"
    }
    $env:PIP_NO_INDEX = '1'
    $env:PIP_CONFIG_FILE = 'nul'  # os.devnull on Windows: pip then reads no configuration file
    try {
        & (Join-Path $Venv 'Scripts\python.exe') -m pip install --no-index --find-links (Join-Path $Bundle 'wheels') `
            --only-binary ':all:' --no-cache-dir --disable-pip-version-check --quiet "quadrangle==$Version" | Out-Host
        $ok = ($LASTEXITCODE -eq 0)
    } finally {
        Remove-Item -LiteralPath Env:PIP_NO_INDEX, Env:PIP_CONFIG_FILE -ErrorAction SilentlyContinue
        foreach ($name in $saved.Keys) { Set-Item -LiteralPath "Env:$name" -Value $saved[$name] }
    }
    if (-not $ok) { return $false }
    & (Join-Path $Venv 'Scripts\quadrangle.exe') --version | Out-Null
    return ($LASTEXITCODE -eq 0)
}

Say "installing Quadrangle $Version into $Prefix with $PyExe (no network)"
$installed = $false
try {
    $installed = Install-Program
} catch {
    [Console]::Error.WriteLine("${Prog}: $($_.Exception.Message)")
}
if (-not $installed) {
    if (Test-Path -LiteralPath $Venv) { Remove-Item -LiteralPath $Venv -Recurse -Force }
    if (Test-Path -LiteralPath $Previous) { Rename-Item -LiteralPath $Previous -NewName 'venv' }
    Fail 'the installation failed (see the messages above); the previous installation, if any, was kept'
}
if (Test-Path -LiteralPath $Previous) { Remove-Item -LiteralPath $Previous -Recurse -Force }
Set-Content -LiteralPath $Marker -Encoding UTF8 -Value @(
    "version=$Version", "installed_at=$((Get-Date).ToUniversalTime().ToString('s'))Z", "python=$PyExe"
)
Copy-Item -LiteralPath (Join-Path $Bundle 'quadrangle.ico') -Destination (Join-Path $Prefix 'quadrangle.ico') -Force
Copy-Item -LiteralPath (Join-Path $Bundle 'uninstall.ps1') -Destination (Join-Path $Prefix 'uninstall.ps1') -Force

# -- 5. `quadrangle` on PATH and the Start-menu shortcut -------------------------------------------------
$BinDir = Join-Path $Prefix 'bin'
New-Item -ItemType Directory -Force -Path $BinDir | Out-Null
# Relative to its own folder (%~dp0), so the launcher never has to quote or encode the prefix.
Set-Content -LiteralPath (Join-Path $BinDir 'quadrangle.cmd') -Encoding ASCII -Value @(
    '@echo off',
    "rem Quadrangle launcher, written by Quadrangle's install.ps1 ($Version).",
    '"%~dp0..\venv\Scripts\quadrangle.exe" %*'
)
if (-not $NoPath) {
    $key = [Microsoft.Win32.Registry]::CurrentUser.OpenSubKey('Environment', $true)
    try {
        # Read without expanding %VARIABLES%, so the other entries are written back unchanged.
        $current = [string]$key.GetValue('Path', '', [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
        $entries = @($current -split ';' | Where-Object { $_ })
        if ($entries -notcontains $BinDir) {
            $key.SetValue('Path', (@($entries + $BinDir) -join ';'), [Microsoft.Win32.RegistryValueKind]::ExpandString)
            # Setting a user variable through .NET broadcasts WM_SETTINGCHANGE, so new windows see the PATH.
            [Environment]::SetEnvironmentVariable('QUADRANGLE_PATH_UPDATED', '1', 'User')
            [Environment]::SetEnvironmentVariable('QUADRANGLE_PATH_UPDATED', $null, 'User')
        }
    } finally {
        $key.Close()
    }
}
if (-not $NoMenu) {
    $shortcut = Join-Path ([Environment]::GetFolderPath('Programs')) 'Quadrangle.lnk'
    $shell = New-Object -ComObject WScript.Shell
    $link = $shell.CreateShortcut($shortcut)
    # pythonw.exe: a window program, so no console window opens beside Quadrangle's.
    $link.TargetPath = Join-Path $Venv 'Scripts\pythonw.exe'
    $link.Arguments = '-I -m desktop.cli'
    $link.WorkingDirectory = $Prefix
    $link.IconLocation = (Join-Path $Prefix 'quadrangle.ico') + ',0'
    $link.Description = 'Quadrangle: assessments of security cooperation between the UN, NATO, the EU and the AU'
    $link.Save()
}

# The data folder as the app itself resolves it (QUADRANGLE_HOME, else the platform's user-data folder).
try {
    $resolved = & (Join-Path $Venv 'Scripts\python.exe') -I -c 'from desktop.paths import user_data_dir; print(user_data_dir())'
    if ($LASTEXITCODE -eq 0 -and $resolved) { $DataDir = ([string]$resolved).Trim() }
} catch {
    # Keep the folder worked out above; the installation itself is complete.
}

Say "Quadrangle $Version is installed in $Prefix"
Say 'start it from the Start menu (Quadrangle) or type quadrangle in a new terminal'
Say "your data folder (kept by upgrades and by uninstalling): $DataDir"
Say "to uninstall: powershell -ExecutionPolicy Bypass -File `"$Prefix\uninstall.ps1`""
