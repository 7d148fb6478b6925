using Ahod.Contracts.Payments;
using Ahod.Payments.Data;
using Ahod.Payments.Idempotency;
using Ahod.Payments.Ledger;

namespace Ahod.Payments.Tests;

/// <summary>The ledger's rules without a database: <see cref="LedgerRules.Decide"/> on a state built by hand.</summary>
public sealed class LedgerRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private readonly LedgerState _state = new();

    private AccountState Wallet(long balance, string currency = "USD", Guid? owner = null, string status = "open")
    {
        var wallet = _state.Add(new AccountState(Guid.CreateVersion7(), currency, AccountFlags.DebitsMustNotExceedCredits, status,
            AccountKinds.Wallet, "user", owner ?? Guid.CreateVersion7()));
        wallet.CreditsPosted = balance;
        return wallet;
    }

    private AccountState Clearing(string currency = "USD") =>
        _state.Add(new AccountState(Guid.CreateVersion7(), currency, 0, "open", AccountKinds.Clearing));

    private static LedgerRequest Transfer(AccountState from, AccountState to, long amount, string currency = "USD") => new()
    {
        Operation = LedgerOperation.Transfer,
        TransferId = Guid.CreateVersion7(),
        DebitAccountId = from.Id,
        CreditAccountId = to.Id,
        Amount = amount,
        Currency = currency,
        Code = "p2p",
    };

    private (LedgerResult[] Results, LedgerWrites Writes) Decide(params LedgerRequest[] requests)
    {
        var writes = new LedgerWrites();
        return (LedgerRules.Decide(requests, _state, writes, Now), writes);
    }

    private static long Available(AccountState a) => a.CreditsPosted - a.DebitsPosted - a.DebitsPending;

    [Fact]
    public void Transfer_MovesTheAmount_WithTwoEntries()
    {
        var alice = Wallet(1000);
        var bob = Wallet(0);

        var (results, writes) = Decide(Transfer(alice, bob, 300));

        results[0].Outcome.ShouldBe(LedgerOutcome.Created);
        results[0].Transfer!.Status.ShouldBe(TransferStatuses.Posted);
        Available(alice).ShouldBe(700);
        Available(bob).ShouldBe(300);
        writes.Entries.Count.ShouldBe(2);
        writes.Entries.Sum(e => e.Side == "C" ? e.Amount : -e.Amount).ShouldBe(0);
        writes.Entries.Single(e => e.AccountId == alice.Id).BalanceAfter.ShouldBe(700);
        writes.NewTransfers.Single().Amount.ShouldBe(300);
        writes.Events.ShouldHaveSingleItem();
    }

    [Fact]
    public void Transfer_BeyondTheBalance_IsRefusedAndChangesNothing()
    {
        var alice = Wallet(100);
        var bob = Wallet(0);

        var (results, writes) = Decide(Transfer(alice, bob, 101));

        results[0].Outcome.ShouldBe(LedgerOutcome.Rejected);
        results[0].Reason.ShouldBe(LedgerReasons.InsufficientFunds);
        Available(alice).ShouldBe(100);
        alice.Dirty.ShouldBeFalse();
        writes.Entries.ShouldBeEmpty();
        writes.NewTransfers.ShouldBeEmpty();
    }

    [Fact]
    public void Transfer_BetweenCurrencies_IsRefused()
    {
        var alice = Wallet(1000);
        var bob = Wallet(0, "EUR");

        var (results, _) = Decide(Transfer(alice, bob, 10));

        results[0].Reason.ShouldBe(LedgerReasons.CurrencyMismatch);
        Available(alice).ShouldBe(1000);
    }

    [Fact]
    public void Transfer_FromAClosedAccount_IsRefused()
    {
        var alice = Wallet(1000, status: "closed");

        var (results, _) = Decide(Transfer(alice, Wallet(0), 10));

        results[0].Reason.ShouldBe(LedgerReasons.AccountClosed);
    }

    [Fact]
    public void ABatch_WhereOneTransferFails_PostsTheOthers_InOrderOfArrival()
    {
        var alice = Wallet(250);
        var bob = Wallet(0);
        var carol = Wallet(50);

        // The third of alice's sends finds 50 left: it alone fails; carol's send after it still posts.
        var (results, writes) = Decide(
            Transfer(alice, bob, 100), Transfer(alice, bob, 100), Transfer(alice, bob, 100), Transfer(carol, bob, 50), Transfer(alice, bob, 50));

        results.Select(r => r.Outcome).ShouldBe(
            [LedgerOutcome.Created, LedgerOutcome.Created, LedgerOutcome.Rejected, LedgerOutcome.Created, LedgerOutcome.Created]);
        results[2].Reason.ShouldBe(LedgerReasons.InsufficientFunds);
        Available(alice).ShouldBe(0);
        Available(carol).ShouldBe(0);
        Available(bob).ShouldBe(300);
        writes.NewTransfers.Count.ShouldBe(4);
        writes.Entries.Count.ShouldBe(8);
    }

    [Fact]
    public void TheSameTransferId_Twice_IsAppliedOnce()
    {
        var alice = Wallet(1000);
        var bob = Wallet(0);
        var transfer = Transfer(alice, bob, 100);

        var (results, writes) = Decide(transfer, transfer, transfer with { Amount = 5 });

        results.Select(r => r.Outcome).ShouldBe([LedgerOutcome.Created, LedgerOutcome.AlreadyExists, LedgerOutcome.Conflict]);
        Available(alice).ShouldBe(900);
        writes.NewTransfers.ShouldHaveSingleItem();
    }

    [Fact]
    public void AHold_ReservesMoney_AndAPartialPostReturnsTheRest()
    {
        var alice = Wallet(1000);
        var escrow = _state.Add(new AccountState(Guid.CreateVersion7(), "USD", AccountFlags.DebitsMustNotExceedCredits, "open", AccountKinds.Escrow));
        var hold = Transfer(alice, escrow, 600) with { Operation = LedgerOperation.Hold, Code = "escrow", TimeoutAt = Now.AddHours(1) };

        var (held, _) = Decide(hold);
        held[0].Transfer!.Status.ShouldBe(TransferStatuses.Pending);
        Available(alice).ShouldBe(400);
        Decide(Transfer(alice, Wallet(0), 401)).Results[0].Reason.ShouldBe(LedgerReasons.InsufficientFunds);

        // The executor would load the hold as a locked row on the next batch.
        var stored = _state.Transfers[hold.TransferId];
        _state.Holds[stored.Id] = stored;
        var post = new LedgerRequest { Operation = LedgerOperation.PostHold, TransferId = Guid.CreateVersion7(), HoldId = stored.Id, PostAmount = 250 };
        var (posted, writes) = Decide(post);

        posted[0].Outcome.ShouldBe(LedgerOutcome.Created);
        stored.Status.ShouldBe(TransferStatuses.Posted);
        alice.DebitsPending.ShouldBe(0);
        Available(alice).ShouldBe(750);
        escrow.CreditsPosted.ShouldBe(250);
        writes.HoldStatuses[stored.Id].ShouldBe(TransferStatuses.Posted);
        Decide(post).Results[0].Outcome.ShouldBe(LedgerOutcome.AlreadyExists);
    }

    [Fact]
    public void AVoidedHold_GivesTheMoneyBack_AndCannotBePostedAfterwards()
    {
        var alice = Wallet(1000);
        var hold = Transfer(alice, Clearing(), 600) with { Operation = LedgerOperation.Hold, Code = "escrow" };
        Decide(hold);
        var stored = _state.Transfers[hold.TransferId];
        _state.Holds[stored.Id] = stored;

        var (voided, _) = Decide(new LedgerRequest { Operation = LedgerOperation.VoidHold, TransferId = Guid.CreateVersion7(), HoldId = stored.Id });
        var (posted, _) = Decide(new LedgerRequest { Operation = LedgerOperation.PostHold, TransferId = Guid.CreateVersion7(), HoldId = stored.Id });

        voided[0].Outcome.ShouldBe(LedgerOutcome.Created);
        Available(alice).ShouldBe(1000);
        posted[0].Reason.ShouldBe(LedgerReasons.HoldNotPending);
    }

    [Fact]
    public void AnExpiredHold_CannotBePosted_AndTheExpiryJobReleasesIt()
    {
        var alice = Wallet(1000);
        var hold = Transfer(alice, Clearing(), 600) with { Operation = LedgerOperation.Hold, Code = "escrow", TimeoutAt = Now.AddSeconds(-1) };
        Decide(hold);
        var stored = _state.Transfers[hold.TransferId];
        _state.Holds[stored.Id] = stored;

        var (posted, _) = Decide(new LedgerRequest { Operation = LedgerOperation.PostHold, TransferId = Guid.CreateVersion7(), HoldId = stored.Id });
        var (expired, _) = Decide(new LedgerRequest { Operation = LedgerOperation.ExpireHold, TransferId = Guid.CreateVersion7(), HoldId = stored.Id });

        posted[0].Reason.ShouldBe(LedgerReasons.HoldExpired);
        expired[0].Outcome.ShouldBe(LedgerOutcome.Created);
        stored.Status.ShouldBe(TransferStatuses.Expired);
        Available(alice).ShouldBe(1000);
    }

    private static LedgerRequest Send(AccountState from, Guid fromUser, Guid toUser, long amount, IdempotencyKey key, string currency = "USD") => new()
    {
        Operation = LedgerOperation.Transfer,
        TransferId = Guid.CreateVersion7(),
        DebitAccountId = from.Id,
        DebitWalletOwner = fromUser,
        CreditWalletOwner = toUser,
        Amount = amount,
        Currency = currency,
        Code = "p2p",
        Key = key,
        Render = r => new StoredResponse(r.Outcome == LedgerOutcome.Created ? 201 : 422, "application/json", $"{r.Outcome}:{r.Reason}:{r.Transfer?.Id}"),
    };

    [Fact]
    public void AKeyedSend_FindsTheRecipientsWallet_AndStoresItsResponseUnderTheKey()
    {
        var (aliceId, bobId) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var alice = Wallet(1000, owner: aliceId);
        var bob = Wallet(0, owner: bobId);
        var key = new IdempotencyKey(aliceId, "k1", "hash");

        var (results, writes) = Decide(Send(alice, aliceId, bobId, 100, key));

        results[0].Outcome.ShouldBe(LedgerOutcome.Created);
        results[0].Transfer!.CreditAccountId.ShouldBe(bob.Id);
        writes.NewKeys.ShouldHaveSingleItem().Response.ShouldBe(results[0].Response);
        Available(bob).ShouldBe(100);
    }

    [Fact]
    public void AKeyedSend_FromAnotherUsersWallet_OrToAUserWithoutThatCurrency_IsRefused_AndTheRefusalIsStored()
    {
        var (aliceId, bobId) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var alice = Wallet(1000, owner: aliceId);
        Wallet(0, "EUR", owner: bobId);

        var (results, writes) = Decide(
            Send(alice, bobId, aliceId, 100, new IdempotencyKey(bobId, "k1", "h")),
            Send(alice, aliceId, bobId, 100, new IdempotencyKey(aliceId, "k2", "h")));

        results[0].Outcome.ShouldBe(LedgerOutcome.NotFound);
        results[0].Reason.ShouldBe(LedgerRules.WalletNotFound);
        results[1].Reason.ShouldBe(LedgerRules.RecipientWalletMissing);
        writes.NewKeys.Count.ShouldBe(2);
        Available(alice).ShouldBe(1000);
    }

    [Fact]
    public void TheSameKey_TwiceInABatch_AppliesOnce_AndTheRetryAnswersTheFirstResponse()
    {
        var (aliceId, bobId) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var alice = Wallet(1000, owner: aliceId);
        Wallet(0, owner: bobId);
        var key = new IdempotencyKey(aliceId, "k1", "hash");

        var (results, writes) = Decide(
            Send(alice, aliceId, bobId, 100, key), Send(alice, aliceId, bobId, 100, key), Send(alice, aliceId, bobId, 100, key with { RequestHash = "other" }));

        results.Select(r => r.Outcome).ShouldBe([LedgerOutcome.Created, LedgerOutcome.Replayed, LedgerOutcome.KeyReused]);
        results[1].Response.ShouldBe(results[0].Response);
        Available(alice).ShouldBe(900);
        writes.NewKeys.ShouldHaveSingleItem();
    }

    [Fact]
    public void AStoredKey_IsReplayed_RefusedForAnotherBody_OrBusyWhileItsOwnerRuns_AndTakenOverOnceExpired()
    {
        var (aliceId, bobId) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var alice = Wallet(1000, owner: aliceId);
        Wallet(0, owner: bobId);
        var stored = new StoredResponse(201, "application/json", "{\"first\":true}");
        _state.Keys[(aliceId, "done")] = new StoredKey("h", stored, Expired: false, LeaseExpired: false);
        _state.Keys[(aliceId, "running")] = new StoredKey("h", null, Expired: false, LeaseExpired: false);
        _state.Keys[(aliceId, "abandoned")] = new StoredKey("h", null, Expired: false, LeaseExpired: true);
        _state.Keys[(aliceId, "old")] = new StoredKey("x", stored, Expired: true, LeaseExpired: false);

        var (results, writes) = Decide(
            Send(alice, aliceId, bobId, 100, new IdempotencyKey(aliceId, "done", "h")),
            Send(alice, aliceId, bobId, 100, new IdempotencyKey(aliceId, "done", "other")),
            Send(alice, aliceId, bobId, 100, new IdempotencyKey(aliceId, "running", "h")),
            Send(alice, aliceId, bobId, 100, new IdempotencyKey(aliceId, "abandoned", "h")),
            Send(alice, aliceId, bobId, 100, new IdempotencyKey(aliceId, "old", "h")));

        results.Select(r => r.Outcome).ShouldBe(
            [LedgerOutcome.Replayed, LedgerOutcome.KeyReused, LedgerOutcome.KeyInFlight, LedgerOutcome.Created, LedgerOutcome.Created]);
        results[0].Response.ShouldBe(stored);
        writes.TakenOverKeys.Select(k => k.Key.Key).ShouldBe(["abandoned", "old"]);
        writes.NewKeys.ShouldBeEmpty();
        Available(alice).ShouldBe(800);
    }
}
