<#
.SYNOPSIS
Remove Quadrangle installed by install.ps1 (this script lives in the installation folder).

.DESCRIPTION
Removes the Start-menu shortcut, the PATH entry and the installation folder. Your database and its
backups (in %LOCALAPPDATA%\Quadrangle, or QUADRANGLE_HOME) are kept.
#>
Set-StrictMode -Version 3
$ErrorActionPreference = 'Stop'
$Prefix = $PSScriptRoot
$BinDir = Join-Path $Prefix 'bin'
if (-not (Test-Path -LiteralPath (Join-Path $Prefix '.quadrangle-install'))) {
    [Console]::Error.WriteLine("uninstall.ps1: $Prefix holds no Quadrangle installation; nothing was removed.")
    exit 1
}

$shortcut = Join-Path ([Environment]::GetFolderPath('Programs')) 'Quadrangle.lnk'
if (Test-Path -LiteralPath $shortcut) { Remove-Item -LiteralPath $shortcut -Force }

$key = [Microsoft.Win32.Registry]::CurrentUser.OpenSubKey('Environment', $true)
try {
    $current = [string]$key.GetValue('Path', '', [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
    $entries = @($current -split ';' | Where-Object { $_ -and $_ -ne $BinDir })
    if ($entries.Count -ne @($current -split ';' | Where-Object { $_ }).Count) {
        $key.SetValue('Path', ($entries -join ';'), [Microsoft.Win32.RegistryValueKind]::ExpandString)
        [Environment]::SetEnvironmentVariable('QUADRANGLE_PATH_UPDATED', '1', 'User')
        [Environment]::SetEnvironmentVariable('QUADRANGLE_PATH_UPDATED', $null, 'User')
    }
} finally {
    $key.Close()
}

# Only what install.ps1 wrote; anything else someone put in the folder stays.
foreach ($name in 'venv', 'venv.previous', 'bin', 'quadrangle.ico', '.quadrangle-install', 'uninstall.ps1') {
    $path = Join-Path $Prefix $name
    if (Test-Path -LiteralPath $path) { Remove-Item -LiteralPath $path -Recurse -Force }
}
if (@(Get-ChildItem -LiteralPath $Prefix -Force).Count -eq 0) { Remove-Item -LiteralPath $Prefix -Force }
Write-Host 'Quadrangle was removed. Your data folder was kept.'
