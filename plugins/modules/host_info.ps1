#!powershell

# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic
#AnsibleRequires -PowerShell ansible_collections.rdp.windows.plugins.module_utils.AccessLog

$spec = @{
    options = @{
        registry = @{
            type = 'list'; elements = 'dict'; default = @()
            options = @{ path = @{ type = 'str'; required = $true }; name = @{ type = 'str'; required = $true } }
        }
        services = @{ type = 'list'; elements = 'str'; default = @() }
        firewall_group = @{ type = 'str'; default = '@FirewallAPI.dll,-28752' }
        firewall_rules = @{ type = 'list'; elements = 'str'; default = @() }
        port = @{ type = 'int'; default = 3389 }
        groups = @{ type = 'list'; elements = 'str'; default = @('S-1-5-32-555') }
        user_rights = @{ type = 'list'; elements = 'str'; default = @() }
        accounts = @{ type = 'list'; elements = 'str'; default = @() }
        include_events = @{ type = 'bool'; default = $false }
        access_log_hours = @{ type = 'int' }
        access_log_max_events = @{ type = 'int'; default = 5000 }
    }
    supports_check_mode = $true
}

$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

$RegistryTypeNames = @{
    'String' = 'REG_SZ'; 'ExpandString' = 'REG_EXPAND_SZ'; 'Binary' = 'REG_BINARY'; 'DWord' = 'REG_DWORD'
    'MultiString' = 'REG_MULTI_SZ'; 'QWord' = 'REG_QWORD'; 'None' = 'REG_NONE'
}

Function Get-RegistryEntry {
    <# Reads one value: its presence, type and data, or the error that prevented reading it. #>
    [OutputType([System.Collections.IDictionary])]
    param (
        [Parameter(Mandatory = $true)][string]$Path,
        [Parameter(Mandatory = $true)][string]$Name
    )
    $entry = [ordered]@{ path = $Path; name = $Name; key_exists = $false; exists = $false; type = $null; value = $null }
    try {
        $key = Get-Item -LiteralPath $Path -ErrorAction Stop
    }
    catch [System.Management.Automation.ItemNotFoundException] {
        return $entry
    }
    catch {
        # Access denied (SecurityException) and the like: the value's state is unknown, not absent.
        $entry.error = $_.Exception.Message
        return $entry
    }
    try {
        $entry.key_exists = $true
        if ($key.GetValueNames() -contains $Name) {
            $kind = $key.GetValueKind($Name).ToString()
            $value = $key.GetValue($Name, $null, [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
            if ($value -is [byte[]]) {
                $value = [System.BitConverter]::ToString($value).Replace('-', '')
            }
            elseif ($kind -eq 'DWord') {
                # GetValue returns DWORDs as Int32 (0xFFFFFFFF is -1); report the unsigned value regedit shows.
                $value = [System.BitConverter]::ToUInt32([System.BitConverter]::GetBytes([int32]$value), 0)
            }
            elseif ($kind -eq 'QWord') {
                $value = [System.BitConverter]::ToUInt64([System.BitConverter]::GetBytes([int64]$value), 0)
            }
            $entry.exists = $true
            $entry.type = $RegistryTypeNames[$kind]
            $entry.value = $value
        }
    }
    catch {
        $entry.error = $_.Exception.Message
    }
    $entry
}

Function Get-ServiceEntry {
    <# State and start mode of one service (CIM, so that 'delayed' auto start is seen). #>
    [OutputType([System.Collections.IDictionary])]
    param ([Parameter(Mandatory = $true)][string]$Name)
    $wqlName = $Name.Replace('\', '\\').Replace("'", "\'")
    $service = Get-CimInstance -ClassName Win32_Service -Filter "Name='$wqlName'"
    if ($null -eq $service) {
        return [ordered]@{ exists = $false }
    }
    $mode = $service.StartMode.ToLowerInvariant()
    if ($mode -eq 'auto' -and $service.DelayedAutoStart) {
        $mode = 'delayed'
    }
    $state = $service.State.ToLowerInvariant().Replace(' ', '_')
    $dependencies = @(Get-Service -Name $Name | Select-Object -ExpandProperty ServicesDependedOn |
            ForEach-Object -MemberName Name)
    [ordered]@{
        exists = $true; display_name = $service.DisplayName; state = $state; start_mode = $mode
        process_id = $service.ProcessId; depends_on = $dependencies
    }
}

Function ConvertTo-RuleEntry {
    <# One firewall rule with its port and address filters, and where it comes from. #>
    [OutputType([System.Collections.IDictionary])]
    param ([Parameter(Mandatory = $true)][object]$Rule)
    $ports = Get-NetFirewallPortFilter -AssociatedNetFirewallRule $Rule
    $addresses = Get-NetFirewallAddressFilter -AssociatedNetFirewallRule $Rule
    $application = Get-NetFirewallApplicationFilter -AssociatedNetFirewallRule $Rule
    $serviceFilter = Get-NetFirewallServiceFilter -AssociatedNetFirewallRule $Rule
    [ordered]@{
        name = $Rule.Name
        display_name = $Rule.DisplayName
        group = $Rule.Group
        display_group = $Rule.DisplayGroup
        enabled = ($Rule.Enabled.ToString() -eq 'True')
        action = $Rule.Action.ToString()
        direction = $Rule.Direction.ToString()
        protocol = $ports.Protocol.ToString().ToUpperInvariant()
        local_ports = @($ports.LocalPort | ForEach-Object -Process { $_.ToString() })
        remote_addresses = @($addresses.RemoteAddress | ForEach-Object -Process { $_.ToString() })
        profiles = @($Rule.Profile.ToString() -split ', ')
        program = $application.Program
        service = $serviceFilter.Service
        policy_source = $Rule.PolicyStoreSourceType.ToString()
    }
}

Function Test-PortInFilter {
    <# Whether a rule's LocalPort filter covers a port: single ports and ranges ('3000-4000'); keywords such
       as 'Any' or 'RPC' do not count, so that the answer stays small and names RDP-specific rules. #>
    [OutputType([bool])]
    param (
        [Parameter(Mandatory = $true)][AllowEmptyCollection()][AllowNull()][object[]]$LocalPort,
        [Parameter(Mandatory = $true)][int]$Port
    )
    foreach ($item in @($LocalPort)) {
        $text = "$item".Trim()
        if ($text -match '^(\d+)-(\d+)$') {
            if ([int]$Matches[1] -le $Port -and $Port -le [int]$Matches[2]) {
                return $true
            }
        }
        elseif ($text -match '^\d+$' -and [int]$text -eq $Port) {
            return $true
        }
    }
    $false
}

Function Get-FirewallState {
    <# RDP-related rules of the active store: the RDP group, named rules, rules for the port, and our own rules. #>
    [OutputType([System.Collections.IDictionary])]
    param (
        [Parameter(Mandatory = $true)][string]$Group,
        [Parameter(Mandatory = $true)][AllowEmptyCollection()][string[]]$Names,
        [Parameter(Mandatory = $true)][int]$Port
    )
    $found = @{}
    $rules = [System.Collections.Generic.List[object]]@()
    $candidates = @(Get-NetFirewallRule -PolicyStore ActiveStore -Group $Group -ErrorAction SilentlyContinue)
    $candidates += @(Get-NetFirewallRule -PolicyStore ActiveStore -Group 'rdp.windows' -ErrorAction SilentlyContinue)
    foreach ($name in $Names) {
        $candidates += @(Get-NetFirewallRule -PolicyStore ActiveStore -Name $name -ErrorAction SilentlyContinue)
    }
    $portFilters = @(Get-NetFirewallPortFilter -PolicyStore ActiveStore | Where-Object -FilterScript {
            Test-PortInFilter -LocalPort @($_.LocalPort) -Port $Port
        })
    foreach ($filter in $portFilters) {
        $candidates += @(Get-NetFirewallRule -AssociatedNetFirewallPortFilter $filter)
    }
    foreach ($rule in $candidates) {
        $id = "$($rule.Name)|$($rule.PolicyStoreSourceType)"
        if (-not $found.ContainsKey($id)) {
            $found[$id] = $true
            $rules.Add((ConvertTo-RuleEntry -Rule $rule))
        }
    }
    $profiles = @(Get-NetFirewallProfile -PolicyStore ActiveStore | ForEach-Object -Process {
            [ordered]@{
                name = $_.Name; enabled = ($_.Enabled.ToString() -eq 'True')
                default_inbound_action = $_.DefaultInboundAction.ToString()
            }
        })
    [ordered]@{ profiles = $profiles; rules = $rules.ToArray() }
}

Function Get-GroupEntry {
    <# Members of a local group by SID, through ADSI: Get-LocalGroupMember fails on orphaned SIDs. #>
    [OutputType([System.Collections.IDictionary])]
    param ([Parameter(Mandatory = $true)][string]$Sid)
    $groupName = ([System.Security.Principal.SecurityIdentifier]$Sid).Translate([System.Security.Principal.NTAccount]).Value
    $shortName = $groupName.Split('\')[-1]
    $group = [ADSI]"WinNT://$env:COMPUTERNAME/$shortName,group"
    $members = [System.Collections.Generic.List[object]]@()
    $unreadable = [System.Collections.Generic.List[string]]@()
    foreach ($raw in @($group.psbase.Invoke('Members'))) {
        $entry = [ADSI]$raw
        try {
            $memberSid = New-Object -TypeName System.Security.Principal.SecurityIdentifier -ArgumentList @($entry.InvokeGet('objectSID'), 0)
        }
        catch {
            # A member whose SID cannot be read (an unreachable domain): the membership is not known exactly.
            $unreadable.Add("$($entry.Path): $($_.Exception.Message)")
            continue
        }
        $memberName = $null
        try {
            $memberName = $memberSid.Translate([System.Security.Principal.NTAccount]).Value
        }
        catch [System.Security.Principal.IdentityNotMappedException] {
            $memberName = $null
        }
        $members.Add([ordered]@{ sid = $memberSid.Value; name = $memberName })
    }
    $problem = $(if ($unreadable.Count -gt 0) { "members could not be read: $($unreadable -join '; ')" } else { $null })
    [ordered]@{ exists = $true; name = $shortName; members = $members.ToArray(); error = $problem }
}

Function Get-GroupTable {
    <# Members of each group, by SID. Domain controllers have no local groups: nothing is read there. #>
    [OutputType([System.Collections.IDictionary])]
    param (
        [Parameter(Mandatory = $true)][AllowEmptyCollection()][string[]]$Sids,
        [Parameter(Mandatory = $true)][bool]$IsDomainController
    )
    $groups = [ordered]@{}
    foreach ($sid in $Sids) {
        if ($IsDomainController) {
            $groups[$sid] = [ordered]@{ exists = $false; name = $null; members = @(); error = $null; reason = 'domain controller: no local groups' }
            continue
        }
        try {
            $groups[$sid] = Get-GroupEntry -Sid $sid
        }
        catch {
            $groups[$sid] = [ordered]@{ exists = $false; name = $null; members = @(); error = $_.Exception.Message }
        }
    }
    $groups
}

Function Get-PolicyUserRightList {
    <# Names of the user rights a Group Policy sets (RSoP, winning GPO only); none on hosts without RSoP data. #>
    [OutputType([string[]])]
    param ()
    try {
        $rsop = @(Get-CimInstance -Namespace 'root/rsop/computer' -ClassName RSOP_UserPrivilegeRight -Filter 'precedence=1')
    }
    catch {
        return
    }
    $rsop | ForEach-Object -MemberName UserRight
}

Function Get-UserRightTable {
    <# Holders of each user right, as SIDs, from 'secedit /export /mergedpolicy' (local and domain policy merged).
       secedit writes its INF file as UTF-16 ('Unicode'), into the module's temporary directory. #>
    [OutputType([System.Collections.IDictionary])]
    param (
        [Parameter(Mandatory = $true)][AllowEmptyCollection()][string[]]$Names,
        [Parameter(Mandatory = $true)][string]$TempDirectory
    )
    $table = [ordered]@{}
    if ($Names.Count -eq 0) {
        return $table
    }
    $file = Join-Path -Path $TempDirectory -ChildPath 'user_rights.inf'
    $output = & "$env:SystemRoot\System32\secedit.exe" /export /mergedpolicy /cfg $file /areas USER_RIGHTS /quiet
    if ($LASTEXITCODE -ne 0) {
        throw "secedit /export failed with exit code $($LASTEXITCODE): $output"
    }
    $lines = @(Get-Content -LiteralPath $file -Encoding Unicode)
    $fromPolicy = @(Get-PolicyUserRightList)
    foreach ($name in $Names) {
        $line = $lines | Where-Object -FilterScript { $_ -like "$name = *" } | Select-Object -First 1
        $sids = @()
        if ($line) {
            $sids = @(($line -split ' = ', 2)[1].Split(',') | Where-Object -FilterScript { $_.Trim() } |
                    ForEach-Object -Process { ConvertTo-SidString -Account $_.Trim() })
        }
        $table[$name] = [ordered]@{ sids = $sids; from_policy = ($fromPolicy -contains $name) }
    }
    $table
}

Function ConvertTo-SidString {
    <# secedit writes '*S-1-5-32-544' for SIDs and plain names for accounts it could not map to a SID. #>
    [OutputType([string])]
    param ([Parameter(Mandatory = $true)][string]$Account)
    if ($Account.StartsWith('*')) {
        return $Account.Substring(1)
    }
    try {
        ([System.Security.Principal.NTAccount]$Account).Translate([System.Security.Principal.SecurityIdentifier]).Value
    }
    catch [System.Security.Principal.IdentityNotMappedException] {
        $Account
    }
}

Function Resolve-AccountSid {
    <# SID of an account name; unknown names are reported, not failed. #>
    [OutputType([System.Collections.IDictionary])]
    param ([Parameter(Mandatory = $true)][string]$Name)
    try {
        if ($Name -match '^S-1-\d+(-\d+)+$') {
            return [ordered]@{ sid = ([System.Security.Principal.SecurityIdentifier]$Name).Value }
        }
        $sid = ([System.Security.Principal.NTAccount]$Name).Translate([System.Security.Principal.SecurityIdentifier])
        [ordered]@{ sid = $sid.Value }
    }
    catch [System.Security.Principal.IdentityNotMappedException] {
        [ordered]@{ sid = $null; error = "account '$Name' could not be found" }
    }
    catch {
        # For example "The trust relationship between this workstation and the primary domain failed."
        [ordered]@{ sid = $null; error = "account '$Name' could not be translated: $($_.Exception.Message)" }
    }
}

Function Get-QosPolicyList {
    <# NetQos policies of the local store, and Policy-based QoS policies that Group Policy wrote to the registry
       (HKLM\SOFTWARE\Policies\Microsoft\Windows\QoS\<name>, all REG_SZ). A name in both is a local policy. #>
    [OutputType([object[]])]
    param ()
    $list = [System.Collections.Generic.List[object]]@()
    $localNames = @{}
    foreach ($policy in @(Get-NetQosPolicy -PolicyStore localhost)) {
        $start = $policy.IPSrcPortStartMatchCondition
        $end = $policy.IPSrcPortEndMatchCondition
        if (-not $start -and $policy.IPPortMatchCondition) {
            $start = $policy.IPPortMatchCondition
            $end = $policy.IPPortMatchCondition
        }
        $localNames[$policy.Name] = $true
        $list.Add([ordered]@{
                name = $policy.Name; source = 'local'
                protocol = $policy.IPProtocolMatchCondition.ToString().ToUpperInvariant()
                src_port_start = $(if ($start) { [int]$start } else { $null })
                src_port_end = $(if ($end) { [int]$end } else { $null })
                dscp = [int]$policy.DSCPAction; app_path = $policy.AppPathNameMatchCondition
                network_profile = $policy.NetworkProfile.ToString()
            })
    }
    $root = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows\QoS'
    foreach ($key in @(Get-ChildItem -LiteralPath $root -ErrorAction SilentlyContinue)) {
        if ($localNames.ContainsKey($key.PSChildName)) {
            continue
        }
        $ports = "$($key.GetValue('Local Port', '*'))".Split(':')
        $protocol = "$($key.GetValue('Protocol', '*'))".ToUpperInvariant()
        $dscp = "$($key.GetValue('DSCP Value', ''))"
        $list.Add([ordered]@{
                name = $key.PSChildName; source = 'policy'
                protocol = $(if ($protocol -eq '*') { 'BOTH' } else { $protocol })
                src_port_start = $(if ($ports[0] -match '^\d+$') { [int]$ports[0] } else { $null })
                src_port_end = $(if ($ports[-1] -match '^\d+$') { [int]$ports[-1] } else { $null })
                dscp = $(if ($dscp -match '^\d+$') { [int]$dscp } else { $null })
                app_path = "$($key.GetValue('Application Name', '*'))"
            })
    }
    $list.ToArray()
}

Function Get-ListenerEntry {
    <# What listens on a TCP port, and whether it is the process hosting TermService. #>
    [OutputType([System.Collections.IDictionary])]
    param (
        [Parameter(Mandatory = $true)][int]$Port,
        [Parameter(Mandatory = $true)][AllowNull()][object]$TermServicePid
    )
    $listen = @(Get-NetTCPConnection -LocalPort $Port -State Listen -ErrorAction SilentlyContinue)
    if ($listen.Count -eq 0) {
        return [ordered]@{ port = $Port; protocol = 'TCP'; listening = $false; owner = $null; process_id = $null }
    }
    $owningPid = $listen[0].OwningProcess
    $owner = $null
    if ($null -ne $TermServicePid -and $owningPid -eq $TermServicePid) {
        $owner = 'TermService'
    }
    else {
        $process = Get-Process -Id $owningPid -ErrorAction SilentlyContinue
        $owner = $(if ($process) { $process.ProcessName } else { "pid $owningPid" })
    }
    [ordered]@{ port = $Port; protocol = 'TCP'; listening = $true; owner = $owner; process_id = $owningPid }
}

Function Get-BoundPort {
    <# The TCP port the process hosting TermService listens on: the port the listener bound when TermService
       started (a PortNumber change takes effect only after a restart). #>
    [OutputType([object])]
    param ([Parameter(Mandatory = $true)][AllowNull()][object]$TermServicePid)
    if ($null -eq $TermServicePid -or $TermServicePid -eq 0) {
        return $null
    }
    $ports = @(Get-NetTCPConnection -OwningProcess $TermServicePid -State Listen -ErrorAction SilentlyContinue |
            ForEach-Object -MemberName LocalPort | Sort-Object -Unique)
    if ($ports.Count -eq 0) {
        return $null
    }
    [int]$ports[0]
}

Function Get-ListenerCertificate {
    <# The certificate the RDP-Tcp listener presents (custom thumbprint, else the self-signed one). #>
    [OutputType([System.Collections.IDictionary])]
    param ()
    $setting = Get-CimInstance -Namespace 'root/cimv2/TerminalServices' -ClassName Win32_TSGeneralSetting -Filter "TerminalName='RDP-Tcp'"
    if ($null -eq $setting -or -not $setting.SSLCertificateSHA1Hash) {
        return $null
    }
    $thumbprint = $setting.SSLCertificateSHA1Hash
    $cert = @(Get-ChildItem -LiteralPath 'Cert:\LocalMachine\Remote Desktop', 'Cert:\LocalMachine\My' -ErrorAction SilentlyContinue |
            Where-Object -FilterScript { $_.Thumbprint -eq $thumbprint }) | Select-Object -First 1
    if ($null -eq $cert) {
        return [ordered]@{ thumbprint = $thumbprint; found = $false }
    }
    $entry = [ordered]@{
        thumbprint = $thumbprint; found = $true; subject = $cert.Subject; issuer = $cert.Issuer
        not_before = $cert.NotBefore.ToUniversalTime().ToString('o'); not_after = $cert.NotAfter.ToUniversalTime().ToString('o')
        self_signed = ($cert.Subject -eq $cert.Issuer); has_private_key = $cert.HasPrivateKey
        hash_type = [int]$setting.SSLCertificateSHA1HashType; store = $cert.PSParentPath.Split('\')[-1]
    }
    if ($cert.HasPrivateKey) {
        $access = Get-PrivateKeyAccess -Certificate $cert
        $entry.private_key_readable = $access.readable
        $entry.key_file = $access.key_file
        $entry.key_access_error = $access.error
    }
    $entry
}

Function Get-PrivateKeyAccess {
    <# Whether NETWORK SERVICE (S-1-5-20), the account of TermService, may read the private key file (Schannel 36870 otherwise). #>
    [OutputType([System.Collections.IDictionary])]
    param ([Parameter(Mandatory = $true)][System.Security.Cryptography.X509Certificates.X509Certificate2]$Certificate)
    $answer = [ordered]@{ readable = $null; key_file = $null; error = $null }
    try {
        $key = [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($Certificate)
        if ($key -is [System.Security.Cryptography.RSACng]) {
            $name = $key.Key.UniqueName
            $folders = @('Microsoft\Crypto\Keys', 'Microsoft\Crypto\RSA\MachineKeys')
        }
        elseif ($null -ne $key) {
            $name = $key.CspKeyContainerInfo.UniqueKeyContainerName
            $folders = @('Microsoft\Crypto\RSA\MachineKeys')
        }
        else {
            $answer.error = 'the private key is not an RSA key'
            return $answer
        }
        foreach ($folder in $folders) {
            $candidate = Join-Path -Path (Join-Path -Path $env:ProgramData -ChildPath $folder) -ChildPath $name
            if (Test-Path -LiteralPath $candidate) {
                $answer.key_file = $candidate
                break
            }
        }
        if ($null -eq $answer.key_file) {
            $answer.error = "the key file $name was not found"
            return $answer
        }
        $readers = @('S-1-5-20', 'S-1-1-0', 'S-1-5-11', 'S-1-5-32-545')
        $read = [int][System.Security.AccessControl.FileSystemRights]::ReadData
        $allowed = $false
        $denied = $false
        $rules = (Get-Acl -LiteralPath $answer.key_file).GetAccessRules($true, $true, [System.Security.Principal.SecurityIdentifier])
        foreach ($rule in $rules) {
            if ($readers -notcontains $rule.IdentityReference.Value -or ([int]$rule.FileSystemRights -band $read) -eq 0) {
                continue
            }
            if ($rule.AccessControlType -eq [System.Security.AccessControl.AccessControlType]::Deny) {
                $denied = $true
            }
            else {
                $allowed = $true
            }
        }
        $answer.readable = ($allowed -and -not $denied)
    }
    catch {
        $answer.error = $_.Exception.Message
    }
    $answer
}

# Recent events that explain RDP failures; the twin (_simulator/twin_host_info.py) reads the same sources.
$EventSources = @(
    @{ LogName = 'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational'; Id = @(261, 1149) }
    @{ LogName = 'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Admin'; Id = @(1006, 1050, 1057, 1058) }
    @{ LogName = 'System'; ProviderName = 'Microsoft-Windows-TerminalServices-RemoteConnectionManager'; Id = @(1006, 1050, 1057, 1058) }
    @{ LogName = 'System'; ProviderName = 'Schannel'; Id = @(36870, 36871) }
    @{ LogName = 'System'; ProviderName = 'TermDD'; Id = @(50, 56) }
    @{ LogName = 'System'; ProviderName = 'Service Control Manager'; Id = @(7000, 7001, 7022, 7023, 7024, 7031, 7034) }
)
$EventLevels = @{ 0 = 'Information'; 1 = 'Critical'; 2 = 'Error'; 3 = 'Warning'; 4 = 'Information'; 5 = 'Verbose' }

Function Get-RdpEventList {
    <# At most 20 events per source from the last 7 days, 50 in all, newest first; messages cut at 400 characters. #>
    [OutputType([object[]])]
    param ([Parameter(Mandatory = $true)][AllowEmptyString()][string]$TermServiceDisplayName)
    $since = (Get-Date).AddDays(-7)
    $found = [System.Collections.Generic.List[object]]@()
    foreach ($source in $EventSources) {
        $filter = $source.Clone()
        $filter.StartTime = $since
        foreach ($record in @(Get-WinEvent -FilterHashtable $filter -MaxEvents 20 -ErrorAction SilentlyContinue)) {
            $entry = [ordered]@{
                log = $record.LogName; provider = $record.ProviderName; id = $record.Id
                level = $EventLevels[[int]$record.Level]; time_created = $record.TimeCreated.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')
                message = [string]$record.Message; data = [ordered]@{}
            }
            if ($entry.message.Length -gt 400) {
                $entry.message = $entry.message.Substring(0, 400)
            }
            if ($record.ProviderName -eq 'Service Control Manager') {
                # Service events name the service by its (localized) display name in their first property.
                $service = $(if ($record.Properties.Count -gt 0) { [string]$record.Properties[0].Value } else { '' })
                if ($service -ne $TermServiceDisplayName) {
                    continue
                }
                $entry.data.param1 = $service
            }
            $found.Add($entry)
        }
    }
    @($found | Sort-Object -Property { $_.time_created } -Descending | Select-Object -First 50)
}

Function Get-OsEntry {
    [OutputType([System.Collections.IDictionary])]
    param ()
    $os = Get-CimInstance -ClassName Win32_OperatingSystem
    $computer = Get-CimInstance -ClassName Win32_ComputerSystem
    [ordered]@{
        hostname = $env:COMPUTERNAME; caption = $os.Caption; version = $os.Version
        product_type = @{ 1 = 'workstation'; 2 = 'domain_controller'; 3 = 'server' }[[int]$os.ProductType]
        domain = $(if ($computer.PartOfDomain) { $computer.Domain } else { $null })
        domain_joined = [bool]$computer.PartOfDomain
        is_domain_controller = ($computer.DomainRole -ge 4)
        locale = (Get-Culture).Name
    }
}

Function Invoke-Section {
    <# Runs one reader; a failure is reported in that section, never for the whole host. The reader runs in
       this function's scope, so its parameters have names no caller's script block uses. On failure nothing
       is output: the caller gets $null, or an empty array when it wraps the call in @(). #>
    param (
        [Parameter(Mandatory = $true)][string]$Section,
        [Parameter(Mandatory = $true)][scriptblock]$Reader
    )
    try {
        & $Reader
    }
    catch {
        $module.Result.errors += @([ordered]@{ section = $Section; message = $_.Exception.Message })
    }
}

$params = $module.Params
if ($null -ne $params.access_log_hours -and ($params.access_log_hours -lt 1 -or $params.access_log_max_events -lt 1)) {
    $module.FailJson('access_log_hours and access_log_max_events must be 1 or more')
}
$module.Result.schema_version = 1
$module.Result.errors = @()
# 'o' is culture-invariant: the host's own time, by which it judges its certificate's validity.
$module.Result.host_time = [DateTime]::UtcNow.ToString('o')
$module.Result.os = Invoke-Section -Section 'os' -Reader { Get-OsEntry }
$module.Result.registry = @(foreach ($query in $params.registry) { Get-RegistryEntry -Path $query.path -Name $query.name })

$services = [ordered]@{}
foreach ($name in $params.services) {
    $services[$name] = Invoke-Section -Section "service $name" -Reader { Get-ServiceEntry -Name $name }
}
$module.Result.services = $services

$firewall = Invoke-Section -Section 'firewall' -Reader {
    Get-FirewallState -Group $params.firewall_group -Names @($params.firewall_rules) -Port $params.port
}
if ($null -eq $firewall) {
    $firewall = [ordered]@{ profiles = @(); rules = @(); error = 'the firewall could not be read' }
}
$module.Result.firewall = $firewall

$isDc = ($null -ne $module.Result.os -and $module.Result.os.is_domain_controller)
$module.Result.groups = Get-GroupTable -Sids @($params.groups) -IsDomainController $isDc
$module.Result.user_rights = Invoke-Section -Section 'user_rights' -Reader {
    Get-UserRightTable -Names @($params.user_rights) -TempDirectory $module.Tmpdir
}
$accounts = [ordered]@{}
foreach ($name in $params.accounts) {
    $accounts[$name] = Resolve-AccountSid -Name $name
}
$module.Result.accounts = $accounts
$module.Result.qos_policies = @(Invoke-Section -Section 'qos' -Reader { Get-QosPolicyList })

$termServicePid = $null
if ($services.Contains('TermService') -and $null -ne $services['TermService'] -and $services['TermService'].exists) {
    $termServicePid = $services['TermService'].process_id
}
$configured = Get-RegistryEntry -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' -Name 'PortNumber'
$configuredPort = $(if ($configured.exists) { [int]$configured.value } else { 3389 })
$ports = @($params.port, $configuredPort) | Sort-Object -Unique
$module.Result.listeners = @(foreach ($port in $ports) {
        Invoke-Section -Section "listener $port" -Reader { Get-ListenerEntry -Port $port -TermServicePid $termServicePid }
    })
$module.Result.listener = [ordered]@{
    configured_port = $configuredPort
    bound_port = Get-BoundPort -TermServicePid $termServicePid
    certificate = Invoke-Section -Section 'certificate' -Reader { Get-ListenerCertificate }
}

if ($params.include_events) {
    $termService = Get-Service -Name 'TermService' -ErrorAction SilentlyContinue
    $displayName = $(if ($null -ne $termService) { $termService.DisplayName } else { '' })
    $events = Invoke-Section -Section 'events' -Reader { Get-RdpEventList -TermServiceDisplayName ([string]$displayName) }
    $module.Result.events = @($events | Where-Object -FilterScript { $null -ne $_ })
}

if ($null -ne $params.access_log_hours) {
    $module.Result.access_log = Invoke-Section -Section 'access_log' -Reader {
        Get-AccessLogSummary -Hours $params.access_log_hours -MaxEvents $params.access_log_max_events
    }
}

$module.ExitJson()
