namespace RoutingSdk.Tests;

/// <summary>The shadow guardrail's default comparer: when two tiers' parsed answers agree.</summary>
public sealed class DefaultAgreementTests
{
    public sealed class Order
    {
        public string Id { get; set; } = "";

        public decimal Amount { get; set; }
    }

    public sealed record Invoice(string Id, List<string> Lines);

    private static T Parse<T>(string json)
    {
        Assert.True(AnswerParsers.Json<T>().TryParse(json, out var value), json);
        return value;
    }

    [Fact]
    public void Two_answers_of_a_class_without_value_equality_agree_when_their_values_do()
    {
        var (a, b, c) = (Parse<Order>("""{"id":"A1","amount":12.5}"""), Parse<Order>("""{ "Id": "A1", "Amount": 12.50 }"""), Parse<Order>("""{"id":"A2","amount":12.5}"""));

        Assert.True(DefaultAgreement.Agree("x", a, "y", b));
        Assert.False(DefaultAgreement.Agree("x", a, "y", c));
    }

    [Fact]
    public void Two_records_holding_lists_agree_when_the_lists_hold_the_same_values()
    {
        var (a, b, c) = (Parse<Invoice>("""{"id":"I","lines":["a","b"]}"""), Parse<Invoice>("""{"id":"I","lines":["a","b"]}"""), Parse<Invoice>("""{"id":"I","lines":["b","a"]}"""));

        Assert.True(DefaultAgreement.Agree("x", a, "y", b));
        Assert.False(DefaultAgreement.Agree("x", a, "y", c));
    }

    [Theory]
    [InlineData("Billing", "billing.", true)]
    [InlineData("Billing", "Technical", false)]
    public void Text_answers_agree_when_equal_once_normalised(string first, string second, bool agree)
        => Assert.Equal(agree, DefaultAgreement.Agree(first, first, second, second));

    [Fact]
    public void Enum_and_number_answers_agree_when_equal()
    {
        Assert.True(DefaultAgreement.Agree("Billing", Category.Billing, "billing", Category.Billing));
        Assert.False(DefaultAgreement.Agree("Billing", Category.Billing, "Technical", Category.Technical));
        Assert.True(DefaultAgreement.Agree("12.50", 12.5m, "12.5", 12.5m));
    }
}
