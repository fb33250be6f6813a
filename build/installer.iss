; Inno Setup 6 script: a per-user Windows installer for the folder build\build.py makes.
;
; On Windows, from the repository root (see README, "Building the desktop application"):
;   .venv\Scripts\python build\build.py
;   "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" build\installer.iss
; writes dist\panelapp-<version>-setup.exe. The version is read from dist\panelapp\panelapp.exe
; (its version resource, filled from panelapp.__version__ by panelapp.spec); ISCC
; /DAppVersion=1.2.3 overrides it.
;
; The installer needs no administrator rights: it installs for the person running it, into
; %LOCALAPPDATA%\Programs\panelapp, with a Start menu entry for the desktop application and one
; that opens a command prompt beside panelapp-cli.exe. Uninstalling removes the program files
; only. The store, its key file, its backups and the logs live in the user data folder
; (%LOCALAPPDATA%\panelapp) and are never touched by installing, upgrading or uninstalling.

#define AppName "panelapp"
#define Dist AddBackslash(SourcePath) + "..\dist\panelapp"

#ifndef AppVersion
  #if !FileExists(Dist + "\panelapp.exe")
    #error dist\panelapp\panelapp.exe is missing: run build\build.py first.
  #endif
  #define AppVersion GetStringFileInfo(Dist + "\panelapp.exe", "ProductVersion")
#endif
#if AppVersion == ""
  #error No version in dist\panelapp\panelapp.exe: rebuild with build\build.py, or pass /DAppVersion=...
#endif

[Setup]
; AppId identifies panelapp to Windows across versions: never change it.
AppId={{B841BE43-9F50-482F-8A8E-856A2E160D14}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
AppComments=Run SEND and High Needs panels offline, on an encrypted store.
VersionInfoVersion={#GetVersionNumbersString(Dist + "\panelapp.exe")}
; Per user, no administrator rights, no choice of "all users".
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppName}
DisableDirPage=yes
DisableProgramGroupPage=yes
UsePreviousAppDir=no
; PySide6 6.x needs 64-bit Windows 10 1809 or later.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
OutputDir=..\dist
OutputBaseFilename={#AppName}-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Close a running panelapp before replacing its files (it saves and closes the store).
CloseApplications=yes
RestartApplications=no
UninstallDisplayIcon={app}\panelapp.exe
UninstallDisplayName={#AppName}
SetupLogging=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[InstallDelete]
; An upgrade replaces the bundled libraries whole: a file left from an older build could be
; loaded by the new one. Only the program folder's _internal is emptied, never user data.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Dist}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\panelapp.exe"; \
  Comment: "Run SEND and High Needs panels"
Name: "{autoprograms}\{#AppName} command line"; Filename: "{cmd}"; \
  Parameters: "/k panelapp-cli.exe --help"; WorkingDir: "{app}"; \
  Comment: "A command prompt in panelapp's folder, for panelapp-cli"

[Run]
Filename: "{app}\panelapp.exe"; Description: "Start {#AppName}"; \
  Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section, on purpose: the uninstaller removes what it installed and
; nothing else. The store and its key are in %LOCALAPPDATA%\panelapp, outside {app}.
