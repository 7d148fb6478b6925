using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Ahod.Payments.Ledger;

/// <summary>
/// Batch sizes show whether group commit is doing its job under the current load. Each batch is a span: the child of the
/// first request in it, linked to the others, with the batch's SQL under it.
/// </summary>
internal static class LedgerMetrics
{
    public static readonly Meter Meter = new("Ahod.Payments");

    public static readonly ActivitySource ActivitySource = new("Ahod.Payments");

    private static readonly Histogram<int> BatchSize =
        Meter.CreateHistogram<int>("ahod.payments.ledger.batch_size", "{request}", "Ledger requests committed per transaction");

    public static void RecordBatch(int size) => BatchSize.Record(size);
}
