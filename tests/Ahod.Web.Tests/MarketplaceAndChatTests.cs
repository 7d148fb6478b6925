using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ahod.Web.Tests;

/// <summary>
/// The marketplace and chat in the built web app through the gateway: Ann lists tutoring with a photo and publishes
/// it; Bob finds it by search with filters, requests it; Ann accepts, Bob pays into escrow, Ann completes, Bob reviews.
/// Then they chat: each page sees the other's messages, typing and read receipt live, without a reload — the npm
/// SignalR client against the real hub (two Chat replicas behind the gateway, negotiated WebSockets with stateful reconnect).
/// </summary>
public sealed class MarketplaceAndChatTests(WebAppFixture fixture)
{
    [Fact]
    public async Task TwoStudents_ListHireThroughEscrowReviewAndChatLive()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var (ann, bob) = await Flows.TwoVerifiedStudentsAsync(fixture, run);
        await Flows.DepositAsync(bob, "50.00");

        // Ann creates a tutoring listing as a draft, adds a photo (the upload shows its progress), publishes it.
        var title = $"Calculus tutoring {run}";
        await Flows.Nav(ann, "Marketplace").ClickAsync();
        await ann.GetByRole(AriaRole.Link, new() { Name = "New listing" }).ClickAsync();
        var create = ann.GetByRole(AriaRole.Form, new() { Name = "Create a listing" });
        await create.GetByLabel("Kind").SelectOptionAsync("service");
        await create.GetByLabel("Category").SelectOptionAsync("tutoring");
        await create.GetByLabel("Title").FillAsync(title);
        await create.GetByLabel("Description").FillAsync($"Derivatives, integrals and exam practice ({run}).");
        await create.GetByLabel("Price (USD)").FillAsync("15.00");
        await create.GetByLabel("Price per").SelectOptionAsync("hour");
        await create.GetByLabel("City").FillAsync("Austin");
        await create.GetByLabel("Level").SelectOptionAsync("university");
        // Subject is required for tutoring: the server's field error shows beside it, then it is filled in.
        await create.GetByRole(AriaRole.Button, new() { Name = "Save as draft" }).ClickAsync();
        await Expect(create.GetByLabel("Subject")).ToHaveAttributeAsync("aria-invalid", "true");
        await create.GetByLabel("Subject").FillAsync("Calculus");
        await create.GetByRole(AriaRole.Button, new() { Name = "Save as draft" }).ClickAsync();
        await Expect(ann.GetByRole(AriaRole.Heading, new() { Name = title })).ToBeVisibleAsync();

        var photo = await PhotoAsync(ann);
        await ann.GetByLabel(new Regex("^Add a photo")).SetInputFilesAsync(new FilePayload { Name = "board.png", MimeType = "image/png", Buffer = photo });
        await Expect(ann.GetByRole(AriaRole.Status).Filter(new() { HasText = "Photo added." })).ToBeVisibleAsync();
        await Expect(ann.GetByRole(AriaRole.List, new() { Name = "Uploaded photos" }).GetByRole(AriaRole.Img)).ToHaveCountAsync(1);
        await ann.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();
        await Expect(ann.GetByRole(AriaRole.Button, new() { Name = "Close the listing" })).ToBeVisibleAsync();
        await ann.ScreenshotAsync(new() { Path = WebAppFixture.ScreenshotPath("10-listing-published"), FullPage = true });

        // Bob searches with filters and finds it; its photo is served from /media through the gateway.
        await Flows.Nav(bob, "Marketplace").ClickAsync();
        var search = bob.GetByRole(AriaRole.Search, new() { Name = "Search listings" });
        await search.GetByLabel("Search").FillAsync($"calculus {run}");
        await search.GetByLabel("Kind").SelectOptionAsync("service");
        await search.GetByLabel("Category").SelectOptionAsync("tutoring");
        await search.GetByLabel("City").FillAsync("austin");
        await search.GetByLabel("Minimum price (USD)").FillAsync("10");
        await search.GetByLabel("Maximum price (USD)").FillAsync("20.00");
        await search.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        var results = bob.GetByRole(AriaRole.List, new() { Name = "Listings" });
        await Expect(results.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);
        await bob.ScreenshotAsync(new() { Path = WebAppFixture.ScreenshotPath("11-marketplace-search"), FullPage = true });
        await results.GetByRole(AriaRole.Link, new() { Name = title }).ClickAsync();
        var image = bob.GetByRole(AriaRole.Img, new() { Name = $"{title}, photo 1" });
        await Expect(image).ToBeVisibleAsync();
        await bob.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await image.ElementHandleAsync());

        // Bob requests it; Ann's bell counts the notification live (no reload).
        var bell = Flows.Nav(ann, new Regex("^Notifications"));
        var before = await bell.GetAttributeAsync("aria-label");
        var request = bob.GetByRole(AriaRole.Form, new() { Name = "Hire: send a request" });
        await request.GetByLabel("Message to the owner").FillAsync("Could we start next week?");
        await request.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();
        await Expect(bob.GetByRole(AriaRole.Status).Filter(new() { HasText = "Request sent." })).ToBeVisibleAsync();
        await Expect(bell).ToHaveAttributeAsync("aria-label", new Regex(@"^Notifications, \d+ unread$"));
        (await bell.GetAttributeAsync("aria-label")).ShouldNotBe(before);

        // Ann accepts; Bob pays into escrow; Ann completes; Bob reviews.
        var received = await OpenRequestAsync(ann, "owner", title);
        await received.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(received).ToContainTextAsync("accepted");

        var made = await OpenRequestAsync(bob, "requester", title);
        await made.GetByRole(AriaRole.Button, new() { Name = "Pay 15.00 USD into escrow" }).ClickAsync();
        await Expect(made).ToContainTextAsync("paid");
        await bob.ScreenshotAsync(new() { Path = WebAppFixture.ScreenshotPath("12-request-paid"), FullPage = true });

        received = await OpenRequestAsync(ann, "owner", title);
        await received.GetByRole(AriaRole.Button, new() { Name = "Mark completed" }).ClickAsync();
        // The button's own label says "completed": wait for what only a completed request shows.
        await Expect(received.GetByRole(AriaRole.Form, new() { Name = "Write a review" })).ToBeVisibleAsync();

        made = await OpenRequestAsync(bob, "requester", title);
        var review = made.GetByRole(AriaRole.Form, new() { Name = "Write a review" });
        await review.GetByLabel("Rating").SelectOptionAsync("5");
        await review.GetByLabel("Review").FillAsync($"Patient and clear {run}.");
        await review.GetByRole(AriaRole.Button, new() { Name = "Post review" }).ClickAsync();
        await Expect(made.GetByRole(AriaRole.Status)).ToContainTextAsync("Thanks for your review.");
        await made.GetByRole(AriaRole.Link, new() { Name = title }).ClickAsync();
        await Expect(bob.GetByRole(AriaRole.List, new() { Name = "Reviews of this listing" })).ToContainTextAsync($"Patient and clear {run}.");
        await Expect(bob.GetByText("5.0 of 5 (1)")).ToBeVisibleAsync();

        // The escrow settled: Bob paid 15.00, Ann received it.
        await Flows.Nav(bob, "Wallet").ClickAsync();
        await Expect(Flows.UsdWallet(bob)).ToContainTextAsync(Flows.Available("35.00"));
        await Flows.Nav(ann, "Wallet").ClickAsync();
        await Expect(Flows.UsdWallet(ann)).ToContainTextAsync(Flows.Available("15.00"));

        // Chat: Bob goes back to the listing and writes from it; Ann sees the unread count, opens it; each sees the other live.
        await bob.GoBackAsync();
        await bob.GetByRole(AriaRole.Button, new() { Name = "Message the owner" }).ClickAsync();
        var bobChat = bob.GetByRole(AriaRole.Form, new() { Name = "Send a message" });
        await bobChat.GetByLabel("Message").FillAsync($"Thanks! Same time next week? {run}");
        await bobChat.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        var bobMessages = bob.GetByRole(AriaRole.List, new() { Name = "Messages" });
        await Expect(bobMessages).ToContainTextAsync($"Same time next week? {run}");
        await Expect(bobMessages.GetByRole(AriaRole.Listitem).Last).ToContainTextAsync("Sent");

        await Flows.Nav(ann, "Messages").ClickAsync();
        await ann.GetByRole(AriaRole.List, new() { Name = "Conversations" }).GetByRole(AriaRole.Link, new() { NameRegex = new Regex(@", 1 unread$") }).ClickAsync();
        var annMessages = ann.GetByRole(AriaRole.List, new() { Name = "Messages" });
        await Expect(annMessages).ToContainTextAsync($"Same time next week? {run}");
        // Ann has read it: Bob's page shows the receipt, live.
        await Expect(bobMessages.GetByRole(AriaRole.Listitem).Last).ToContainTextAsync("Seen");

        var annChat = ann.GetByRole(AriaRole.Form, new() { Name = "Send a message" });
        await annChat.GetByLabel("Message").PressSequentiallyAsync("Yes");
        await Expect(bob.GetByRole(AriaRole.Status).Filter(new() { HasText = "is typing" })).ToBeVisibleAsync();
        await annChat.GetByLabel("Message").FillAsync($"Yes, Tuesday at five {run}");
        await annChat.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(bobMessages).ToContainTextAsync($"Yes, Tuesday at five {run}");
        await Expect(annMessages.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(2);
        await Expect(bobMessages.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(2);
        await bob.ScreenshotAsync(new() { Path = WebAppFixture.ScreenshotPath("13-chat"), FullPage = true });

        await ann.Context.CloseAsync();
        await bob.Context.CloseAsync();
    }

    private static async Task<ILocator> OpenRequestAsync(IPage page, string role, string title)
    {
        await page.GotoAsync($"/marketplace/requests?role={role}");
        var item = page.GetByRole(AriaRole.Listitem, new() { Name = $"Request for {title}" });
        await Expect(item).ToBeVisibleAsync();
        return item;
    }

    /// <summary>A 240×160 PNG drawn by the browser's canvas: a real image for libvips, made without files.</summary>
    private static async Task<byte[]> PhotoAsync(IPage page)
    {
        var dataUrl = await page.EvaluateAsync<string>("""
            () => {
              const c = document.createElement('canvas'); c.width = 240; c.height = 160;
              const g = c.getContext('2d'); g.fillStyle = '#0b6e4f'; g.fillRect(0, 0, 240, 160);
              g.fillStyle = '#fff'; g.font = '32px sans-serif'; g.fillText('∫ f(x) dx', 40, 90);
              return c.toDataURL('image/png');
            }
            """);
        return Convert.FromBase64String(dataUrl[(dataUrl.IndexOf(',', StringComparison.Ordinal) + 1)..]);
    }
}
