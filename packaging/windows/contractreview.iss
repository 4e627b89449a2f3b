; Inno Setup 6 script: per-user installer for the ContractReview one-folder bundle (no admin rights).
;
;   1. python packaging\build_bundle.py            (on Windows; writes dist\contractreview\)
;   2. sign dist\contractreview\*.exe               (see README.md)
;   3. "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\windows\contractreview.iss
;
; Output: dist\ContractReview-<version>-setup.exe. Installs into %LOCALAPPDATA%\Programs\ContractReview
; and registers "Open with ContractReview" for .pdf and .docx under HKEY_CURRENT_USER only; it never
; takes over the default PDF or Word program.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "ContractReview"
#define AppExe "contractreview-gui.exe"
#define ProgId "ContractReview.Contract"

[Setup]
AppId={{6B1F3C52-8E0A-4D4B-9C1E-4F2A7A0C9D31}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=ContractReview developers
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-user install: {autopf} becomes %LOCALAPPDATA%\Programs and HKA becomes HKEY_CURRENT_USER.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ChangesAssociations=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename={#AppName}-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\contractreview.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; Code signing: define a sign tool named "signtool" in the Inno Setup IDE (Tools > Configure Sign Tools)
; or pass /Ssigntool="signtool.exe sign /fd SHA256 /tr <timestamp URL> /td SHA256 /a $f" to ISCC;
; then uncomment the next line so the installer and its uninstaller are signed too.
;SignTool=signtool

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\contractreview\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; The program's own file type (ProgID) ...
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "Contract for review"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
; ... offered in "Open with" for .pdf and .docx, without changing the user's default program.
Root: HKA; Subkey: "Software\Classes\.pdf\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.docx\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".pdf"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".docx"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; Reviews and settings live in %LOCALAPPDATA%\ContractReview (platformdirs) and survive an uninstall on purpose.
