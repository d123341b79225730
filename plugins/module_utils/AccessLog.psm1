# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# The access log review of rdp.windows.host_info (option access_log_hours): successful and failed RDP logons
# and lockouts over a window, summarized on the host into counts and top lists so that the result stays small
# however busy the logs are. Read-only. Events are parsed from their XML by field name, never from their
# localized message. The simulator's twin is plugins/plugin_utils/_simulator/twin_access_log.py; the result is
# described in docs/access-log.md.

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

$AccessLogTopCount = 10
$AccessLogTimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'"

Function ConvertTo-UtcText {
    [OutputType([string])]
    param ([Parameter(Mandatory = $true)][DateTime]$Time)
    $Time.ToUniversalTime().ToString($AccessLogTimeFormat, [System.Globalization.CultureInfo]::InvariantCulture)
}

Function Test-BlankField {
    <# Windows writes '-' for a value it does not have. #>
    [OutputType([bool])]
    param ([AllowNull()][object]$Value)
    ($null -eq $Value) -or (([string]$Value).Trim() -in @('', '-'))
}

Function Get-EventField {
    <# The named fields of an event from its XML (EventData by Name, UserData by element), never its localized message. #>
    [OutputType([hashtable])]
    param ([Parameter(Mandatory = $true)][object]$EventRecord)
    $fields = @{}
    $document = [xml]$EventRecord.ToXml()
    foreach ($section in $document.DocumentElement.ChildNodes) {
        if ($section.LocalName -eq 'EventData') {
            foreach ($data in $section.ChildNodes) {
                if ($data -is [System.Xml.XmlElement] -and $data.HasAttribute('Name')) {
                    $fields[$data.GetAttribute('Name')] = $data.InnerText
                }
            }
        }
        elseif ($section.LocalName -eq 'UserData') {
            foreach ($wrapper in $section.ChildNodes) {
                foreach ($data in $wrapper.ChildNodes) {
                    if ($data -is [System.Xml.XmlElement]) {
                        $fields[$data.LocalName] = $data.InnerText
                    }
                }
            }
        }
    }
    $fields
}

Function Read-AccessLogEvent {
    <# The newest matching events of one log (at most MaxEvents), and what the summary says about the read. #>
    [OutputType([System.Collections.IDictionary])]
    param (
        [Parameter(Mandatory = $true)][string]$LogName,
        [Parameter(Mandatory = $true)][string]$XPath,
        [Parameter(Mandatory = $true)][int]$MaxEvents
    )
    $part = [ordered]@{ read = 0; cap_reached = $false; oldest_read = $null; error = $null }
    $events = @()
    try {
        $events = @(Get-WinEvent -LogName $LogName -FilterXPath $XPath -MaxEvents $MaxEvents -ErrorAction Stop)
    }
    catch {
        # No event in the window is not an error; a missing log or denied access is reported in this part only.
        if ($_.FullyQualifiedErrorId -notlike 'NoMatchingEventsFound*') {
            $part['error'] = $_.Exception.Message
        }
    }
    $part['read'] = $events.Count
    $part['cap_reached'] = ($events.Count -ge $MaxEvents)
    if ($events.Count -gt 0) {
        $part['oldest_read'] = ConvertTo-UtcText -Time $events[-1].TimeCreated
    }
    [ordered]@{ events = $events; part = $part }
}

Function New-Tally {
    <#
    Counts per key (ordinal, case-sensitive keys) and the distinct values seen with each key. Their Count and
    Keys are read through get_Count()/get_Keys(): on a dictionary, PowerShell's .Count could be a key's value.
    #>
    [OutputType([hashtable])]
    param ()
    @{
        hits = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,int]'
        with = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,System.Collections.Generic.HashSet[string]]'
    }
}

Function Add-TallyHit {
    param (
        [Parameter(Mandatory = $true)][hashtable]$Tally,
        [Parameter(Mandatory = $true)][AllowEmptyString()][string]$Key,
        [AllowEmptyString()][string]$Other = ''
    )
    if (-not $Tally.hits.ContainsKey($Key)) {
        $Tally.hits[$Key] = 0
        $Tally.with[$Key] = New-Object -TypeName 'System.Collections.Generic.HashSet[string]'
    }
    $Tally.hits[$Key] += 1
    if ($Other -ne '') {
        $null = $Tally.with[$Key].Add($Other)
    }
}

Function Get-TopKey {
    <# The AccessLogTopCount biggest keys, biggest first, ties by key in ordinal order (as the simulator's twin). #>
    [OutputType([string[]])]
    param (
        [Parameter(Mandatory = $true)][hashtable]$Tally,
        [switch]$ByDistinct
    )
    $keys = [string[]]@($Tally.hits.get_Keys())
    $sortKeys = [string[]]@(foreach ($key in $keys) {
            $distinct = $(if ($ByDistinct) { $Tally.with[$key].Count } else { 0 })
            [string]::Format([System.Globalization.CultureInfo]::InvariantCulture, '{0:D10}{1:D10}{2}',
                [int]::MaxValue - $distinct, [int]::MaxValue - $Tally.hits[$key], $key)
        })
    [System.Array]::Sort($sortKeys, $keys, [System.StringComparer]::Ordinal)
    $keys | Select-Object -First $AccessLogTopCount
}

Function ConvertTo-AccountName {
    [OutputType([string])]
    param ([AllowNull()][object]$User, [AllowNull()][object]$Domain)
    if (Test-BlankField -Value $User) {
        return '-'
    }
    $name = ([string]$User).Trim()
    if (-not (Test-BlankField -Value $Domain)) {
        $name = ([string]$Domain).Trim() + '\' + $name
    }
    $name.ToLowerInvariant()
}

Function ConvertTo-FieldText {
    <# A field as a trimmed lower-case key, '-' when blank. #>
    [OutputType([string])]
    param ([AllowNull()][object]$Value)
    if (Test-BlankField -Value $Value) {
        return '-'
    }
    ([string]$Value).Trim().ToLowerInvariant()
}

Function ConvertTo-ClientAddress {
    [OutputType([string])]
    param ([AllowNull()][object]$Address)
    if (Test-BlankField -Value $Address) {
        return '-'
    }
    $text = ([string]$Address).Trim()
    if ($text.StartsWith('::ffff:', [System.StringComparison]::OrdinalIgnoreCase) -and $text.Substring(7).Split('.').Count -eq 4) {
        return $text.Substring(7)
    }
    $text
}

Function Get-FailureKind {
    <# Logon type 10 is RDP; so is type 3 through NTLM with no source address, the way an NLA failure is logged. #>
    [OutputType([string])]
    param ([Parameter(Mandatory = $true)][hashtable]$Fields)
    $logonType = ([string]$Fields['LogonType']).Trim()
    if ($logonType -eq '10') {
        return 'remote_interactive'
    }
    if ($logonType -eq '3' -and (Test-BlankField -Value $Fields['IpAddress']) -and
        ([string]$Fields['AuthenticationPackageName']).Trim() -eq 'NTLM') {
        return 'nla'
    }
    $null
}

Function Get-FailureSource {
    <# The client address, else the workstation name the client sent, else unknown. #>
    [OutputType([System.Collections.IDictionary])]
    param ([Parameter(Mandatory = $true)][hashtable]$Fields)
    if (-not (Test-BlankField -Value $Fields['IpAddress'])) {
        return [ordered]@{ kind = 'address'; value = ConvertTo-ClientAddress -Address $Fields['IpAddress'] }
    }
    if (-not (Test-BlankField -Value $Fields['WorkstationName'])) {
        return [ordered]@{ kind = 'workstation'; value = ([string]$Fields['WorkstationName']).Trim().ToUpperInvariant() }
    }
    [ordered]@{ kind = 'unknown'; value = '-' }
}

Function Get-RdpSuccessSummary {
    <# RemoteConnectionManager 1149: RDP network authentications that succeeded. #>
    [OutputType([System.Collections.IDictionary])]
    param ([Parameter(Mandatory = $true)][string]$Window, [Parameter(Mandatory = $true)][int]$MaxEvents)
    $read = Read-AccessLogEvent -LogName 'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational' `
        -XPath "*[System[(EventID=1149) and $Window]]" -MaxEvents $MaxEvents
    $accounts = New-Tally
    $sources = New-Tally
    foreach ($record in $read.events) {
        $fields = Get-EventField -EventRecord $record
        Add-TallyHit -Tally $accounts -Key (ConvertTo-AccountName -User $fields['Param1'] -Domain $fields['Param2'])
        Add-TallyHit -Tally $sources -Key (ConvertTo-ClientAddress -Address $fields['Param3'])
    }
    $part = $read.part
    $part['count'] = $read.events.Count
    $part['distinct_accounts'] = $accounts.hits.get_Count()
    $part['distinct_sources'] = $sources.hits.get_Count()
    $part['top_accounts'] = @(foreach ($key in (Get-TopKey -Tally $accounts)) { [ordered]@{ name = $key; count = $accounts.hits[$key] } })
    $part['top_sources'] = @(foreach ($key in (Get-TopKey -Tally $sources)) { [ordered]@{ address = $key; count = $sources.hits[$key] } })
    $part
}

Function ConvertTo-AccountEntry {
    [OutputType([System.Collections.IDictionary])]
    param ([Parameter(Mandatory = $true)][hashtable]$Tally, [Parameter(Mandatory = $true)][string]$Key)
    [ordered]@{ name = $Key; failures = $Tally.hits[$Key]; distinct_sources = $Tally.with[$Key].Count }
}

Function Get-RdpFailureSummary {
    <# Security 4625 failures that are RDP logons (Get-FailureKind), by source, account and sub status. #>
    [OutputType([System.Collections.IDictionary])]
    param ([Parameter(Mandatory = $true)][string]$Window, [Parameter(Mandatory = $true)][int]$MaxEvents)
    $rdpTypes = "Data[@Name='LogonType']='10' or (Data[@Name='LogonType']='3' and Data[@Name='IpAddress']='-')"
    $read = Read-AccessLogEvent -LogName 'Security' -XPath "*[System[(EventID=4625) and $Window]] and *[EventData[$rdpTypes]]" `
        -MaxEvents $MaxEvents
    $kinds = [ordered]@{ remote_interactive = 0; nla = 0 }
    $sources = New-Tally
    $accounts = New-Tally
    $statuses = New-Tally
    $sourceOf = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,object]'
    foreach ($record in $read.events) {
        $fields = Get-EventField -EventRecord $record
        $kind = Get-FailureKind -Fields $fields
        if ($null -eq $kind) {
            continue
        }
        $kinds[$kind] += 1
        $source = Get-FailureSource -Fields $fields
        $sourceKey = "$($source.kind)|$($source.value)"
        $sourceOf[$sourceKey] = $source
        $account = ConvertTo-AccountName -User $fields['TargetUserName'] -Domain $fields['TargetDomainName']
        Add-TallyHit -Tally $sources -Key $sourceKey -Other $account
        Add-TallyHit -Tally $accounts -Key $account -Other $(if ($source.kind -eq 'unknown') { '' } else { $sourceKey })
        Add-TallyHit -Tally $statuses -Key (ConvertTo-FieldText -Value $fields['SubStatus'])
    }
    $part = $read.part
    $part['count'] = $kinds.remote_interactive + $kinds.nla
    $part['by_kind'] = $kinds
    $part['distinct_sources'] = $sources.hits.get_Count()
    $part['distinct_accounts'] = $accounts.hits.get_Count()
    $part['top_sources'] = @(foreach ($key in (Get-TopKey -Tally $sources)) {
            [ordered]@{
                source = $sourceOf[$key].value; kind = $sourceOf[$key].kind; failures = $sources.hits[$key]
                distinct_accounts = $sources.with[$key].Count
            }
        })
    $part['top_accounts'] = @(foreach ($key in (Get-TopKey -Tally $accounts)) { ConvertTo-AccountEntry -Tally $accounts -Key $key })
    $part['top_accounts_by_sources'] = @(foreach ($key in (Get-TopKey -Tally $accounts -ByDistinct)) {
            ConvertTo-AccountEntry -Tally $accounts -Key $key
        })
    $part['top_sub_statuses'] = @(foreach ($key in (Get-TopKey -Tally $statuses)) { [ordered]@{ sub_status = $key; count = $statuses.hits[$key] } })
    $part
}

Function Get-NlaFailureSummary {
    <# RdpCoreTS 140: connections that failed on a wrong user name or password, by client address (IPString). #>
    [OutputType([System.Collections.IDictionary])]
    param ([Parameter(Mandatory = $true)][string]$Window, [Parameter(Mandatory = $true)][int]$MaxEvents)
    $read = Read-AccessLogEvent -LogName 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational' `
        -XPath "*[System[(EventID=140) and $Window]]" -MaxEvents $MaxEvents
    $addresses = New-Tally
    foreach ($record in $read.events) {
        $fields = Get-EventField -EventRecord $record
        Add-TallyHit -Tally $addresses -Key (ConvertTo-ClientAddress -Address $fields['IPString'])
    }
    $part = $read.part
    $part['count'] = $read.events.Count
    $part['distinct_addresses'] = $addresses.hits.get_Count()
    $part['top_addresses'] = @(foreach ($key in (Get-TopKey -Tally $addresses)) { [ordered]@{ address = $key; failures = $addresses.hits[$key] } })
    $part
}

Function Get-LockoutSummary {
    <# Security 4740: accounts locked out, with the computer the last lockout came from (TargetDomainName). #>
    [OutputType([System.Collections.IDictionary])]
    param ([Parameter(Mandatory = $true)][string]$Window, [Parameter(Mandatory = $true)][int]$MaxEvents)
    $read = Read-AccessLogEvent -LogName 'Security' -XPath "*[System[(EventID=4740) and $Window]]" -MaxEvents $MaxEvents
    $accounts = New-Tally
    $callers = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,string]'
    foreach ($record in $read.events) {
        $fields = Get-EventField -EventRecord $record
        $name = ConvertTo-FieldText -Value $fields['TargetUserName']
        Add-TallyHit -Tally $accounts -Key $name
        if (-not $callers.ContainsKey($name)) {
            $callers[$name] = $(if (Test-BlankField -Value $fields['TargetDomainName']) { '-' } else { ([string]$fields['TargetDomainName']).Trim() })
        }
    }
    $part = $read.part
    $part['count'] = $read.events.Count
    $part['distinct_accounts'] = $accounts.hits.get_Count()
    $part['top_accounts'] = @(foreach ($key in (Get-TopKey -Tally $accounts)) {
            [ordered]@{ name = $key; count = $accounts.hits[$key]; last_caller = $callers[$key] }
        })
    $part
}

Function Get-AccessLogSummary {
    <# Successful and failed RDP logons and lockouts over the last Hours, aggregated here so the result stays small. #>
    [OutputType([System.Collections.IDictionary])]
    param (
        [Parameter(Mandatory = $true)][int]$Hours,
        [Parameter(Mandatory = $true)][int]$MaxEvents
    )
    $now = [DateTime]::UtcNow
    $window = "TimeCreated[timediff(@SystemTime) <= $([int64]$Hours * 3600000)]"
    [ordered]@{
        hours = $Hours
        since = ConvertTo-UtcText -Time $now.AddHours(-$Hours)
        until = ConvertTo-UtcText -Time $now
        max_events = $MaxEvents
        top = $AccessLogTopCount
        successes = Get-RdpSuccessSummary -Window $window -MaxEvents $MaxEvents
        failures = Get-RdpFailureSummary -Window $window -MaxEvents $MaxEvents
        nla_failures = Get-NlaFailureSummary -Window $window -MaxEvents $MaxEvents
        lockouts = Get-LockoutSummary -Window $window -MaxEvents $MaxEvents
    }
}

Export-ModuleMember -Function Get-AccessLogSummary
