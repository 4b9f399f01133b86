// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Security.Cryptography;
using Haven.Backup.Checking;
using Haven.Format;

namespace Haven.Backup.Tests.Checking;

/// <summary>--read-data-subset: restic's N/M buckets by the first ID byte, and random percentages.</summary>
public sealed class ReadDataSubsetTests
{
    private static readonly List<Id> s_packs = [.. Enumerable.Range(0, 200).Select(_ => new Id(RandomNumberGenerator.GetBytes(Id.Size)))];

    [Fact]
    public void Buckets_pick_packs_whose_first_byte_mod_m_is_n_minus_one_and_together_cover_every_pack_once()
    {
        var chosen = new List<Id>();
        for (int n = 1; n <= 5; n++)
        {
            var bucket = ReadDataSubset.Parse($"{n}/5").Select(s_packs, new Random(1));
            Assert.All(bucket, id => Assert.Equal(n - 1, id.ToArray()[0] % 5));
            chosen.AddRange(bucket);
        }

        Assert.Equal(s_packs.Order(), chosen.Order());
    }

    [Fact]
    public void A_percentage_picks_that_share_of_distinct_packs_rounded_up()
    {
        var chosen = ReadDataSubset.Parse("10.5%").Select(s_packs, new Random(3));
        Assert.Equal(21, chosen.Distinct().Count());
        Assert.All(chosen, id => Assert.Contains(id, s_packs));
        Assert.NotEqual(chosen, ReadDataSubset.Parse("10.5%").Select(s_packs, new Random(4)));
    }

    [Theory]
    [InlineData("0/5")]
    [InlineData("6/5")]
    [InlineData("1/0")]
    [InlineData("1/300")]
    [InlineData("-1/5")]
    [InlineData("0%")]
    [InlineData("101%")]
    [InlineData("x%")]
    [InlineData("1/2/3")]
    public void Malformed_subsets_are_rejected(string text)
    {
        Assert.Throws<FormatException>(() => ReadDataSubset.Parse(text));
    }
}
