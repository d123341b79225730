#!powershell

# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic

$spec = @{
    options = @{
        name = @{ type = 'str'; default = 'rdp.windows-RDP' }
        state = @{ type = 'str'; choices = @('present', 'absent'); default = 'present' }
        port = @{ type = 'int' }
        protocol = @{ type = 'str'; choices = @('TCP', 'UDP', 'Both'); default = 'Both' }
        dscp = @{ type = 'int' }
        network_profile = @{ type = 'str'; choices = @('Domain', 'Private', 'Public', 'All'); default = 'All' }
    }
    required_if = @(, @('state', 'present', @('port', 'dscp')))
    supports_check_mode = $true
}

$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

$Store = 'localhost'

Function Get-PolicyView {
    <# The properties this module manages, or $null when the policy does not exist. #>
    [OutputType([System.Collections.IDictionary])]
    param ([Parameter(Mandatory = $true)][string]$Name)
    $policy = Get-NetQosPolicy -Name $Name -PolicyStore $Store -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -eq $policy) {
        return $null
    }
    [ordered]@{
        name = $policy.Name
        protocol = $policy.IPProtocolMatchCondition.ToString()
        src_port_start = [int]$policy.IPSrcPortStartMatchCondition
        src_port_end = [int]$policy.IPSrcPortEndMatchCondition
        dscp = [int]$policy.DSCPAction
        network_profile = $policy.NetworkProfile.ToString()
    }
}

$params = $module.Params
# The NetQos cmdlets treat -Name as a wildcard pattern: 'RDP*' or '*' would change or remove other policies.
if ([string]::IsNullOrWhiteSpace($params.name) -or $params.name.IndexOfAny([char[]]@('*', '?', '[', ']')) -ge 0) {
    $module.FailJson("name must be one policy name, not empty and without the wildcard characters * ? [ ], got '$($params.name)'")
}
if ($params.state -eq 'present') {
    if ($params.dscp -lt 0 -or $params.dscp -gt 63) {
        $module.FailJson("dscp must be an integer from 0 to 63, got $($params.dscp)")
    }
    if ($params.port -lt 1 -or $params.port -gt 65535) {
        $module.FailJson("port must be an integer from 1 to 65535, got $($params.port)")
    }
}

$before = Get-PolicyView -Name $params.name
$after = $null
$module.Result.changed = $false

if ($params.state -eq 'absent') {
    if ($null -ne $before) {
        $module.Result.changed = $true
        if (-not $module.CheckMode) {
            Remove-NetQosPolicy -Name $params.name -PolicyStore $Store -Confirm:$false
        }
    }
}
else {
    $after = [ordered]@{
        name = $params.name; protocol = $params.protocol; src_port_start = $params.port; src_port_end = $params.port
        dscp = $params.dscp; network_profile = $params.network_profile
    }
    $settings = @{
        IPProtocolMatchCondition = $params.protocol
        IPSrcPortStartMatchCondition = [uint16]$params.port
        IPSrcPortEndMatchCondition = [uint16]$params.port
        DSCPAction = [sbyte]$params.dscp
        NetworkProfile = $params.network_profile
    }
    if ($null -eq $before) {
        $module.Result.changed = $true
        if (-not $module.CheckMode) {
            $null = New-NetQosPolicy -Name $params.name -PolicyStore $Store @settings
        }
    }
    else {
        $differs = $false
        foreach ($key in @('protocol', 'src_port_start', 'src_port_end', 'dscp', 'network_profile')) {
            if ("$($before[$key])" -ne "$($after[$key])") {
                $differs = $true
            }
        }
        if ($differs) {
            $module.Result.changed = $true
            if (-not $module.CheckMode) {
                Set-NetQosPolicy -Name $params.name -PolicyStore $Store @settings
            }
        }
    }
}

$module.Result.policy = $(if ($params.state -eq 'present') { $after } else { $null })
$module.Diff.before = $(if ($null -ne $before) { $before } else { @{} })
$module.Diff.after = $(if ($null -ne $after) { $after } else { @{} })
$module.ExitJson()
