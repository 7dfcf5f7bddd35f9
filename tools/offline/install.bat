@echo off
rem Install Quadrangle on Windows from this offline bundle (runs install.ps1; options are passed on,
rem e.g. install.bat -Prefix D:\Apps\Quadrangle). Double-clicking it works too.
powershell.exe -NoProfile -ExecutionPolicy Bypass -File "%~dp0install.ps1" %*
set status=%ERRORLEVEL%
if "%~1"=="" pause
exit /b %status%
