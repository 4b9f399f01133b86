// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using CsCheck;
using Haven.Format.Chunking;

namespace Haven.Format.Tests.Chunking;

public class PolynomialTests
{
    [Theory]
    [InlineData(0x3DA3358B4DC173UL)]
    [InlineData(0x318446006dd733UL)]
    [InlineData(0x7UL)] // x^2 + x + 1
    [InlineData(0x2UL)] // x
    public void Recognises_irreducible_polynomials(ulong value)
    {
        Assert.True(new Polynomial(value).IsIrreducible());
    }

    [Theory]
    [InlineData(0x3DA3358B4DC175UL)]
    [InlineData((1UL << 53) + 1)]
    [InlineData(0x5UL)] // x^2 + 1 = (x + 1)^2
    [InlineData(0x1UL)]
    [InlineData(0x0UL)]
    public void Recognises_reducible_polynomials_and_constants(ulong value)
    {
        Assert.False(new Polynomial(value).IsIrreducible());
    }

    [Fact]
    public void Ben_Or_agrees_with_trial_division_up_to_degree_14()
    {
        Gen.ULong[2, (1UL << 15) - 1].Sample(
            value => Assert.Equal(IsIrreducibleByTrialDivision(value), new Polynomial(value).IsIrreducible()),
            iter: 3_000);
    }

    [Fact]
    public void Product_of_two_polynomials_is_reducible()
    {
        Gen.Select(Gen.ULong[2, (1UL << 27) - 1], Gen.ULong[2, (1UL << 27) - 1]).Sample(
            (a, b) => Assert.False(new Polynomial(CarrylessMultiply(a, b)).IsIrreducible()),
            iter: 300);
    }

    [Theory]
    [InlineData(0x0UL, -1)]
    [InlineData(0x1UL, 0)]
    [InlineData(0x3DA3358B4DC173UL, 53)]
    [InlineData(ulong.MaxValue, 63)]
    public void Degree_is_the_highest_set_bit(ulong value, int degree)
    {
        Assert.Equal(degree, new Polynomial(value).Degree);
    }

    [Fact]
    public void Random_keeps_54_bits_sets_the_ends_and_skips_reducible_candidates()
    {
        // Mask to bits 0..53 and set bits 53 and 0: the first candidate becomes 0x3da3358b4dc175
        // (reducible), the second 0x3da3358b4dc173.
        var candidates = new Queue<ulong>([0xFFC0_0000_0000_0000 | 0x1DA3358B4DC174, 0xABC0_0000_0000_0000 | 0x3DA3358B4DC172]);
        Polynomial polynomial = Polynomial.Random(candidates.Dequeue);
        Assert.Equal(new Polynomial(0x3DA3358B4DC173), polynomial);
        Assert.Empty(candidates);
    }

    [Fact]
    public void Random_results_are_irreducible_and_of_degree_53()
    {
        Gen.ULong.Sample(
            seed =>
            {
                ulong state = seed;
                Polynomial polynomial = Polynomial.Random(() => TestData.Next(ref state));
                Assert.Equal(53, polynomial.Degree);
                Assert.True(polynomial.IsIrreducible());
            },
            iter: 20);
    }

    [Fact]
    public void Random_gives_up_after_a_million_reducible_candidates()
    {
        int calls = 0;
        Assert.Throws<InvalidOperationException>(() => Polynomial.Random(() =>
        {
            calls++;
            return 0;
        }));
        Assert.Equal(Polynomial.MaxRandomTries, calls);
    }

    [Fact]
    public void Prints_lowercase_hex_without_prefix_or_leading_zeros()
    {
        Assert.Equal("318446006dd733", new Polynomial(0x318446006dd733).ToString());
        Assert.Equal("0", new Polynomial(0).ToString());
    }

    [Fact]
    public void Parse_reads_back_what_ToString_writes()
    {
        Gen.ULong.Sample(value => Assert.Equal(value, Polynomial.Parse(new Polynomial(value).ToString()).Value), iter: 10_000);
    }

    [Fact]
    public void Parse_accepts_uppercase_and_leading_zeros()
    {
        Assert.Equal(new Polynomial(0x3DA3358B4DC173), Polynomial.Parse("003DA3358B4DC173"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x3da3358b4dc173")]
    [InlineData(" 3da3358b4dc173")]
    [InlineData("3da3358b4dc173 ")]
    [InlineData("-1")]
    [InlineData("3da3358b4dc17g")]
    [InlineData("10000000000000000")]
    public void Parse_rejects_anything_but_hex_digits(string text)
    {
        Assert.Throws<FormatException>(() => Polynomial.Parse(text));
    }

    private static bool IsIrreducibleByTrialDivision(ulong value)
    {
        int degree = new Polynomial(value).Degree;
        for (ulong divisor = 2; new Polynomial(divisor).Degree <= degree / 2; divisor++)
        {
            if (Remainder(value, divisor) == 0)
            {
                return false;
            }
        }

        return degree >= 1;
    }

    private static ulong Remainder(ulong value, ulong divisor)
    {
        int divisorDegree = new Polynomial(divisor).Degree;
        for (int bit = 63; bit >= divisorDegree; bit--)
        {
            if (((value >> bit) & 1) != 0)
            {
                value ^= divisor << (bit - divisorDegree);
            }
        }

        return value;
    }

    private static ulong CarrylessMultiply(ulong a, ulong b)
    {
        ulong product = 0;
        for (int bit = 0; bit < 64; bit++)
        {
            if (((b >> bit) & 1) != 0)
            {
                product ^= a << bit;
            }
        }

        return product;
    }
}
