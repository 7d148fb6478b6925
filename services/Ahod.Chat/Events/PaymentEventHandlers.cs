using Ahod.Chat.Notifications;
using Ahod.Messaging.Consumers;
using Ahod.Messaging.Contracts;

namespace Ahod.Chat.Events;

/// <summary>Money arriving in my wallet, and my held money released. Accounts are resolved to owners through Payments.</summary>
public sealed class PaymentNotificationsHandler(PaymentsClient payments, NotificationWriter notifications)
    : IIntegrationEventHandler<PaymentTransferPosted>, IIntegrationEventHandler<PaymentHoldReleased>
{
    /// <summary>Payouts have their own notification (community.payout-made); announcing the transfer too would say it twice.</summary>
    private static readonly HashSet<string> AnnouncedElsewhere = ["payout"];

    public async Task HandleAsync(PaymentTransferPosted e, CancellationToken ct)
    {
        if (AnnouncedElsewhere.Contains(e.Code) || await payments.WalletOwnerAsync(e.CreditAccountId, ct) is not { } owner)
        {
            return;
        }

        var amount = SavingsNotificationsHandler.Amount(e.Amount, e.Currency);
        var (title, body) = e.Code == "deposit"
            ? ("Deposit received", $"{amount} arrived in your wallet.")
            : ("Money received", $"You received {amount}.");
        notifications.Add(owner, e.Id, NotificationTypes.MoneyReceived, title, body,
            new { e.TransferId, accountId = e.CreditAccountId, amount = new Money(e.Amount, e.Currency), e.Code });
    }

    public async Task HandleAsync(PaymentHoldReleased e, CancellationToken ct)
    {
        if (await payments.WalletOwnerAsync(e.AccountId, ct) is not { } owner)
        {
            return;
        }

        var amount = SavingsNotificationsHandler.Amount(e.Amount, e.Currency);
        var body = e.Outcome == "posted" ? $"{amount} held from your wallet was paid out." : $"{amount} held from your wallet is available again ({e.Outcome}).";
        notifications.Add(owner, e.Id, NotificationTypes.HoldReleased, "Hold released", body,
            new { e.HoldId, e.AccountId, amount = new Money(e.Amount, e.Currency), e.Outcome, e.Reference, e.TransferId });
    }
}
