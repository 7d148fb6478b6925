using System.ComponentModel.DataAnnotations;

namespace Ahod.Savings.Scheduling;

public sealed class SchedulerOptions
{
    public const string SectionName = "Savings:Scheduler";

    public bool Enabled { get; set; } = true;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a replica holds the lease without renewing; longer than one pass, so passes never overlap.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long before the due date members are reminded (community.contribution-due).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan DueReminderLead { get; set; } = TimeSpan.FromDays(2);
}
