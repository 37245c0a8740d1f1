using System.Collections.Concurrent;
using Paygentic.Emulator.Seed;

namespace Paygentic.Emulator.State;

/// <summary>
/// All merchants built from one seed. A reset builds a new world and swaps it in whole, so a request never sees
/// half of the old state and half of the new.
/// </summary>
internal sealed class World
{
    private readonly Dictionary<string, MerchantState> byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MerchantState> byId = new(StringComparer.Ordinal);

    /// <summary>Which merchant owns an object id: tells "another merchant's" (403) from "no such thing" (404/400).</summary>
    private readonly ConcurrentDictionary<string, MerchantState> owners = new(StringComparer.Ordinal);

    public World(EmulatorSeed seed, string? demoApiKey)
    {
        SeedValidator.Validate(seed);
        var merchants = new List<MerchantState>();
        foreach (var seedMerchant in seed.Merchants)
        {
            var merchant = new MerchantState(seedMerchant);
            if (merchants.Count == 0 && !string.IsNullOrEmpty(demoApiKey))
            {
                merchant.ApiKey = demoApiKey;
            }

            if (!byKey.TryAdd(merchant.ApiKey, merchant) || !byId.TryAdd(merchant.Id, merchant))
            {
                throw new InvalidOperationException($"Seed merchant '{merchant.Id}' repeats an id or API key.");
            }

            foreach (var id in merchant.Products.Keys.Concat(merchant.Metrics.Keys).Concat(merchant.Features.Keys).Concat(merchant.Plans.Keys))
            {
                Own(id, merchant);
            }

            merchants.Add(merchant);
        }

        Merchants = merchants;
    }

    public IReadOnlyList<MerchantState> Merchants { get; }

    /// <summary>Portal links by token; their pages need no merchant context.</summary>
    public ConcurrentDictionary<string, Subscriptions.PortalSession> Portals { get; } = new(StringComparer.Ordinal);

    /// <summary>Consumer organisations are global: the same e-mail is the same consumer at every merchant.</summary>
    public ConcurrentDictionary<string, Customers.ConsumerInfo> ConsumersByEmail { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentDictionary<string, Customers.ConsumerInfo> ConsumersById { get; } = new(StringComparer.Ordinal);

    public MerchantState? ByApiKey(string key) => byKey.GetValueOrDefault(key);

    public MerchantState? ById(string id) => byId.GetValueOrDefault(id);

    public void Own(string id, MerchantState merchant) => owners[id] = merchant;

    public MerchantState? OwnerOf(string? id) => id is null ? null : owners.GetValueOrDefault(id);

    /// <summary>Whether the id is known but belongs to a merchant other than <paramref name="merchant"/>.</summary>
    public bool BelongsToAnother(string? id, MerchantState merchant) => OwnerOf(id) is { } owner && owner != merchant;
}
