namespace RoutingSdk.Planning.Tests;

public class MoneyTests
{
    [Theory]
    [InlineData("24.75", "$24.75")]
    [InlineData("1234.5", "$1,234.50")]
    [InlineData("0.41", "$0.41")]
    [InlineData("0.01", "$0.01")]
    [InlineData("0", "$0.00")]
    [InlineData("0.0031", "$0.0031")]
    [InlineData("0.0031234", "$0.003123")]
    [InlineData("0.001234567", "$0.001235")]
    [InlineData("0.0000112345", "$0.00001123")]
    public void Formats_cents_with_two_decimals_and_smaller_amounts_with_four_significant_digits(string usd, string expected)
    {
        Assert.Equal(expected, Money.Format(decimal.Parse(usd, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("0.1125", "6.75", "1/60")]
    [InlineData("1", "2.5", "1/2.5")]
    [InlineData("2", "1", "2×")]
    [InlineData("0", "1", "none")]
    public void Ratio_says_how_much_cheaper(string cheaper, string dearer, string expected)
    {
        Assert.Equal(expected, Money.Ratio(decimal.Parse(cheaper, System.Globalization.CultureInfo.InvariantCulture), decimal.Parse(dearer, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
