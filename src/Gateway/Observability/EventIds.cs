namespace Routescope.Gateway.Observability;

/// <summary>
/// Every event id the gateway logs with, in one list so ids stay unique and alerts can key on them: the thousands
/// digit names the area (1 errors, 2 store, 3 upstream, 4 admin, 5 fallback, 6 usage, 7 metering, 8 policy,
/// 9 request hygiene: headers and framing).
/// </summary>
internal static class EventIds
{
    public const int UnhandledException = 1001;

    public const int SqliteSchemaMigrated = 2001;
    public const int PostgresSchemaMigrated = 2002;

    public const int DemoUpstream = 3001;
    public const int NoUpstreamKey = 3002;
    public const int UpstreamAttemptFailed = 3101;

    public const int AdminDisabled = 4001;

    public const int BreakerTransition = 5001;
    public const int MovingOnInChain = 5101;

    public const int UsageStoreWriteFailed = 6001;

    // 6002-6006 were the spill file's (replayed, replay failed, spilled at shutdown, torn line, spill refused): retired
    // with it, and not reused, so that alerts on them cannot fire for something else.
    public const int UsageRecordsLost = 6007;
    public const int UsageJournalRecovered = 6008;
    public const int UsageJournalFound = 6009;
    public const int UsageMoverFailed = 6010;
    public const int UsageRequestsRefused = 6011;
    public const int UsageSpillImported = 6012;
    public const int UsageSpillImportFailed = 6013;
    public const int UsageLeftInJournal = 6014;
    public const int UsageJournalTorn = 6015;
    public const int UsageJournalRefused = 6016;
    public const int UsageJournalSegmentTaken = 6017;
    public const int UsageRecordsQuarantined = 6018;
    public const int UsagePeriodClosed = 6030;
    public const int UsagePeriodCheckFailed = 6031;

    public const int ResponseUnmetered = 7001;

    public const int BudgetNotice = 8001;
    public const int BudgetNoticeFailed = 8002;
    public const int BudgetWebhookFailed = 8003;
    public const int BudgetStoreUnavailable = 8004;
    public const int ReplicasChanged = 8005;
    public const int ReplicaHeartbeatFailed = 8006;
    public const int PolicyUnreadable = 8007;
    public const int ModelListUnreadable = 8008;

    public const int FramingRefused = 9001;
    public const int HeaderRefused = 9002;
    public const int RequestUnreadable = 9003;
    public const int HeaderNameRefused = 9004;

    // 9031-9039: the route's overall deadline (issue 18).
    public const int RouteDeadlineExceeded = 9031;

    // 10001-10099: operations of issue 20 (demo mode, admin port, audit log).
    public const int AuditEntryKept = 10001;

    // 10101-10199: health, drain and temp space (issue 20).
    public const int DrainStarted = 10101;
    public const int DrainForced = 10102;
    public const int DrainEnded = 10103;
    public const int StoreUnavailable = 10110;
    public const int StoreAvailabilityChanged = 10111;
    public const int TempSpaceRefused = 10120;
    public const int TempSpaceFailed = 10121;
}
