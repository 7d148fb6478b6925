namespace Ahod.Payments.Data;

internal static class PaymentsDatabase
{
    // Any constant shared by all replicas; "ahodpay" in ASCII.
    private const long AdvisoryLockKey = 0x61686F64706179;

    public static Task MigratePaymentsDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default) =>
        app.MigrateDatabaseAsync<PaymentsDbContext>(AdvisoryLockKey, cancellationToken);
}
