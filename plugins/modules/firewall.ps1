#!powershell

# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic

$spec = @{
    options = @{
        group = @{ type = 'str'; default = '@FirewallAPI.dll,-28752' }
        enable_rules = @{ type = 'list'; elements = 'str'; default = @() }
        port = @{ type = 'int' }
        protocols = @{ type = 'list'; elements = 'str'; choices = @('TCP', 'UDP'); default = @('TCP') }
        remote_addresses = @{ type = 'list'; elements = 'str' }
        scope_rules = @{ type = 'list'; elements = 'str'; default = @() }
        profiles = @{ type = 'list'; elements = 'str'; choices = @('Any', 'Domain', 'Private', 'Public'); default = @('Any') }
    }
    supports_check_mode = $true
}

$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

$OwnedPrefix = 'rdp.windows-'
$OwnedGroup = 'rdp.windows'
# Address keywords Set-NetFirewallRule -RemoteAddress accepts (compared case-insensitively by -contains).
$AddressKeywords = @('Any', '*', 'LocalSubnet', 'LocalSubnet4', 'LocalSubnet6', 'DNS', 'DNS4', 'DNS6', 'DHCP', 'DHCP4',
    'DHCP6', 'WINS', 'WINS4', 'WINS6', 'DefaultGateway', 'DefaultGateway4', 'DefaultGateway6', 'Internet', 'Internet4',
    'Internet6', 'Intranet', 'Intranet4', 'Intranet6', 'IntranetRemoteAccess', 'IntranetRemoteAccess4',
    'IntranetRemoteAccess6', 'PlayToDevice', 'PlayToDevice4', 'PlayToDevice6')

Function ConvertTo-CanonicalAddress {
    <# One spelling per address, as the firewall may return it: masks become prefix lengths, /32 is dropped. #>
    [OutputType([string])]
    param ([Parameter(Mandatory = $true)][string]$Address)
    $text = $Address.Trim().ToLowerInvariant()
    if ($text -eq '*') {
        return 'any'
    }
    if ($text -match '^([^/]+)/(\d+\.\d+\.\d+\.\d+)$') {
        $bits = 0
        foreach ($byte in [System.Net.IPAddress]::Parse($Matches[2]).GetAddressBytes()) {
            $binary = [System.Convert]::ToString($byte, 2)
            $bits += $binary.Length - $binary.Replace('1', '').Length
        }
        $text = "$($Matches[1])/$bits"
    }
    if ($text -match '^([^/]+)/(32|128)$') {
        $text = $Matches[1]
    }
    $text
}

Function Test-SameSet {
    <# Whether two address or profile lists mean the same set (case-insensitive, canonical addresses). #>
    [OutputType([bool])]
    param (
        [Parameter(Mandatory = $true)][AllowEmptyCollection()][string[]]$Actual,
        [Parameter(Mandatory = $true)][AllowEmptyCollection()][string[]]$Wanted
    )
    $left = @($Actual | ForEach-Object -Process { ConvertTo-CanonicalAddress -Address $_ } | Sort-Object -Unique) -join ','
    $right = @($Wanted | ForEach-Object -Process { ConvertTo-CanonicalAddress -Address $_ } | Sort-Object -Unique) -join ','
    $left -eq $right
}

Function ConvertTo-ProfileSet {
    <# 'Domain, Private, Public' and 'Any' are the same set of profiles. #>
    [OutputType([string[]])]
    param ([Parameter(Mandatory = $true)][AllowEmptyCollection()][string[]]$Profiles)
    $names = @($Profiles | ForEach-Object -Process { $_.Trim() } | Where-Object -FilterScript { $_ } | Sort-Object -Unique)
    if (($names -contains 'Any') -or (($names -join ',') -eq 'Domain,Private,Public')) {
        return , @('Any')
    }
    , $names
}

Function Test-PortIn {
    [OutputType([bool])]
    param (
        [Parameter(Mandatory = $true)][int]$Port,
        [Parameter(Mandatory = $true)][AllowEmptyCollection()][string[]]$LocalPort
    )
    foreach ($item in $LocalPort) {
        if ($item -eq 'Any') {
            return $true
        }
        if ($item -match '^(\d+)-(\d+)$' -and [int]$Matches[1] -le $Port -and $Port -le [int]$Matches[2]) {
            return $true
        }
        if ($item -match '^\d+$' -and [int]$item -eq $Port) {
            return $true
        }
    }
    $false
}

Function Get-RuleView {
    <# The properties of a rule this module compares and returns. #>
    [OutputType([System.Collections.IDictionary])]
    param ([Parameter(Mandatory = $true)][object]$Rule)
    $ports = Get-NetFirewallPortFilter -AssociatedNetFirewallRule $Rule
    $addresses = Get-NetFirewallAddressFilter -AssociatedNetFirewallRule $Rule
    [ordered]@{
        name = $Rule.Name
        group = $Rule.Group
        enabled = ($Rule.Enabled.ToString() -eq 'True')
        action = $Rule.Action.ToString()
        direction = $Rule.Direction.ToString()
        protocol = $ports.Protocol.ToString().ToUpperInvariant()
        local_ports = @($ports.LocalPort | ForEach-Object -Process { $_.ToString() })
        remote_addresses = @($addresses.RemoteAddress | ForEach-Object -Process { $_.ToString() })
        profiles = @($Rule.Profile.ToString() -split ', ')
        policy_source = $Rule.PolicyStoreSourceType.ToString()
    }
}

Function Copy-View {
    [OutputType([System.Collections.IDictionary])]
    param ([Parameter(Mandatory = $true)][System.Collections.IDictionary]$View)
    $copy = [ordered]@{}
    foreach ($key in $View.Keys) {
        $copy[$key] = $View[$key]
    }
    $copy
}

Function Get-ActiveRule {
    <# The rules of that stable name in the active store (local and Group Policy). #>
    [OutputType([object[]])]
    param ([Parameter(Mandatory = $true)][string]$Name)
    $escaped = [System.Management.Automation.WildcardPattern]::Escape($Name)
    , @(Get-NetFirewallRule -PolicyStore ActiveStore -Name $escaped -ErrorAction SilentlyContinue)
}

Function Get-LocalRule {
    [OutputType([object])]
    param ([Parameter(Mandatory = $true)][string]$Name)
    $escaped = [System.Management.Automation.WildcardPattern]::Escape($Name)
    Get-NetFirewallRule -PolicyStore PersistentStore -Name $escaped -ErrorAction SilentlyContinue | Select-Object -First 1
}

Function Get-PolicyRuleName {
    <# Names of enabled inbound allow rules from Group Policy that open the port for the protocol. #>
    [OutputType([string[]])]
    param (
        [Parameter(Mandatory = $true)][int]$Port,
        [Parameter(Mandatory = $true)][string]$Protocol
    )
    $names = [System.Collections.Generic.List[string]]@()
    $candidates = @(Get-NetFirewallRule -PolicyStore ActiveStore -PolicyStoreSourceType GroupPolicy -Direction Inbound `
            -Action Allow -Enabled True -ErrorAction SilentlyContinue)
    foreach ($rule in $candidates) {
        $ports = Get-NetFirewallPortFilter -AssociatedNetFirewallRule $rule
        $ruleProtocol = $ports.Protocol.ToString().ToUpperInvariant()
        if (($ruleProtocol -eq $Protocol -or $ruleProtocol -eq 'ANY') -and (Test-PortIn -Port $Port -LocalPort @($ports.LocalPort))) {
            $names.Add($rule.Name)
        }
    }
    , $names.ToArray()
}

Function Get-AddressableRule {
    <# The active-store rules of that name; fails unless this module may touch the rule (checked before any change). #>
    [OutputType([object[]])]
    param ([Parameter(Mandatory = $true)][string]$Name)
    $active = Get-ActiveRule -Name $Name
    if ($active.Count -eq 0) {
        $module.FailJson("The firewall rule '$Name' was not found (rules are addressed by their stable Name, not the display name); nothing was changed")
    }
    $fromPolicy = @($active | Where-Object -FilterScript { $_.PolicyStoreSourceType.ToString() -eq 'GroupPolicy' })
    if ($fromPolicy.Count -eq 0 -and $active[0].Group -ne $params.group -and -not $active[0].Name.StartsWith($OwnedPrefix)) {
        $module.FailJson("The firewall rule '$Name' is neither in the group '$($params.group)' nor owned by rdp.windows; it is not changed, nor is anything else")
    }
    , $active
}

Function Test-RemoteAddress {
    <# Whether Set-NetFirewallRule -RemoteAddress accepts the entry: a keyword, an address, a CIDR network or mask, a range. #>
    [OutputType([bool])]
    param ([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Address)
    $text = $Address.Trim()
    if ($AddressKeywords -contains $text) {
        return $true
    }
    if ($text.Contains('-')) {
        $ends = $text.Split([char[]]@('-'), 2)
        return ($null -ne ($ends[0].Trim() -as [System.Net.IPAddress]) -and $null -ne ($ends[1].Trim() -as [System.Net.IPAddress]))
    }
    if ($text.Contains('/')) {
        $parts = $text.Split([char[]]@('/'), 2)
        $network = $parts[0] -as [System.Net.IPAddress]
        if ($null -eq $network) {
            return $false
        }
        if ($parts[1] -match '^\d{1,3}$') {
            $longest = $(if ($network.AddressFamily.ToString() -eq 'InterNetworkV6') { 128 } else { 32 })
            return ([int]$parts[1] -le $longest)
        }
        return ($null -ne ($parts[1] -as [System.Net.IPAddress]))
    }
    $null -ne ($text -as [System.Net.IPAddress])
}

Function Update-ExistingRule {
    <# Enable (optionally) and scope one existing built-in or collection-owned rule; Group Policy rules are left alone. #>
    param (
        [Parameter(Mandatory = $true)][string]$Name,
        [Parameter(Mandatory = $true)][bool]$Enable
    )
    $active = Get-AddressableRule -Name $Name
    $fromPolicy = @($active | Where-Object -FilterScript { $_.PolicyStoreSourceType.ToString() -eq 'GroupPolicy' })
    if ($fromPolicy.Count -gt 0) {
        $managedByPolicy.Add($Name)
        $rulesOut.Add((Get-RuleView -Rule $fromPolicy[0]))
        return
    }
    $rule = $active[0]
    $view = Get-RuleView -Rule $rule
    $wanted = Copy-View -View $view
    $change = @{}
    if ($Enable -and -not $view.enabled) {
        $change.Enabled = 'True'
        $wanted.enabled = $true
    }
    if ($null -ne $addresses -and -not (Test-SameSet -Actual $view.remote_addresses -Wanted $addresses)) {
        $change.RemoteAddress = [string[]]$addresses
        $wanted.remote_addresses = [string[]]$addresses
    }
    if ($change.Count -gt 0) {
        $module.Result.changed = $true
        $before[$Name] = $view
        $after[$Name] = $wanted
        if (-not $module.CheckMode) {
            $local = Get-LocalRule -Name $Name
            Set-NetFirewallRule -InputObject $local @change
        }
    }
    $rulesOut.Add($wanted)
}

Function Set-OwnedRule {
    <# Create or update the one collection-owned rule for a protocol on the custom port. #>
    param (
        [Parameter(Mandatory = $true)][int]$Port,
        [Parameter(Mandatory = $true)][string]$Protocol
    )
    $name = "$($OwnedPrefix)RDP-In-$Protocol"
    $policyRules = Get-PolicyRuleName -Port $Port -Protocol $Protocol
    if ($policyRules.Count -gt 0) {
        $coveredByPolicy.Add("$Protocol/$Port")
        return
    }
    $profiles = ConvertTo-ProfileSet -Profiles $params.profiles
    $existing = Get-LocalRule -Name $name
    if ($null -eq $existing) {
        $wantedAddresses = $(if ($null -ne $addresses) { [string[]]$addresses } else { [string[]]@('Any') })
        $wanted = [ordered]@{
            name = $name; group = $OwnedGroup; enabled = $true; action = 'Allow'; direction = 'Inbound'
            protocol = $Protocol; local_ports = @("$Port"); remote_addresses = $wantedAddresses; profiles = $profiles
            policy_source = 'Local'
        }
        $module.Result.changed = $true
        $before[$name] = $null
        $after[$name] = $wanted
        $rulesOut.Add($wanted)
        if (-not $module.CheckMode) {
            $newRule = @{
                Name = $name
                DisplayName = "rdp.windows Remote Desktop ($Protocol-In)"
                Description = 'Opens the custom Remote Desktop port. Owned by the rdp.windows Ansible collection.'
                Group = $OwnedGroup
                Direction = 'Inbound'
                Action = 'Allow'
                Enabled = 'True'
                Protocol = $Protocol
                LocalPort = [string[]]@("$Port")
                RemoteAddress = $wantedAddresses
                Profile = ($profiles -join ', ')
                Program = '%SystemRoot%\system32\svchost.exe'
                Service = 'termservice'
                PolicyStore = 'PersistentStore'
            }
            $null = New-NetFirewallRule @newRule
        }
        return
    }
    $view = Get-RuleView -Rule $existing
    $wanted = Copy-View -View $view
    $change = @{}
    if (-not $view.enabled) {
        $change.Enabled = 'True'
        $wanted.enabled = $true
    }
    if ($view.action -ne 'Allow') {
        $change.Action = 'Allow'
        $wanted.action = 'Allow'
    }
    if ($view.direction -ne 'Inbound') {
        $change.Direction = 'Inbound'
        $wanted.direction = 'Inbound'
    }
    if ($view.protocol -ne $Protocol -or ($view.local_ports -join ',') -ne "$Port") {
        $change.Protocol = $Protocol
        $change.LocalPort = [string[]]@("$Port")
        $wanted.protocol = $Protocol
        $wanted.local_ports = @("$Port")
    }
    if ($null -ne $addresses -and -not (Test-SameSet -Actual $view.remote_addresses -Wanted $addresses)) {
        $change.RemoteAddress = [string[]]$addresses
        $wanted.remote_addresses = [string[]]$addresses
    }
    $currentProfiles = ConvertTo-ProfileSet -Profiles $view.profiles
    if (($currentProfiles -join ',') -ne ($profiles -join ',')) {
        $change.Profile = ($profiles -join ', ')
        $wanted.profiles = $profiles
    }
    if ($change.Count -gt 0) {
        $module.Result.changed = $true
        $before[$name] = $view
        $after[$name] = $wanted
        if (-not $module.CheckMode) {
            Set-NetFirewallRule -InputObject $existing @change
        }
    }
    $rulesOut.Add($wanted)
}

$params = $module.Params
$addresses = $params.remote_addresses
if ($null -ne $addresses -and $addresses.Count -eq 0) {
    $module.FailJson('remote_addresses must not be empty: it would block every RDP client; use [Any] to allow all addresses')
}
if ($null -ne $params.port -and ($params.port -lt 1 -or $params.port -gt 65535)) {
    $module.FailJson("port must be an integer from 1 to 65535, got $($params.port)")
}
if ($params.scope_rules.Count -gt 0 -and $null -eq $addresses) {
    $module.FailJson('scope_rules is set but remote_addresses is not: say which addresses the rules must accept')
}
if ($null -ne $addresses) {
    $invalid = @($addresses | Where-Object -FilterScript { -not (Test-RemoteAddress -Address $_) })
    if ($invalid.Count -gt 0) {
        $module.FailJson("remote_addresses: '$($invalid -join "', '")' is not an IP address, a CIDR network (10.0.0.0/8), " +
            'a range (10.0.0.1-10.0.0.9) or a keyword (Any, LocalSubnet, DNS, DHCP, WINS, DefaultGateway, Internet, ' +
            'Intranet); nothing was changed')
    }
}
# Every rule named must exist and be one this module may change before the first change is made.
foreach ($name in @($params.enable_rules) + @($params.scope_rules)) {
    $null = Get-AddressableRule -Name $name
}

$module.Result.changed = $false
$rulesOut = [System.Collections.Generic.List[object]]@()
$managedByPolicy = [System.Collections.Generic.List[string]]@()
$coveredByPolicy = [System.Collections.Generic.List[string]]@()
$before = [ordered]@{}
$after = [ordered]@{}

foreach ($name in $params.enable_rules) {
    Update-ExistingRule -Name $name -Enable $true
}
foreach ($name in $params.scope_rules) {
    Update-ExistingRule -Name $name -Enable $false
}
if ($null -ne $params.port) {
    foreach ($protocol in $params.protocols) {
        Set-OwnedRule -Port $params.port -Protocol $protocol
    }
}

$module.Result.rules = $rulesOut.ToArray()
$module.Result.managed_by_policy = $managedByPolicy.ToArray()
$module.Result.covered_by_policy = $coveredByPolicy.ToArray()
$module.Diff.before = $before
$module.Diff.after = $after
$module.ExitJson()
