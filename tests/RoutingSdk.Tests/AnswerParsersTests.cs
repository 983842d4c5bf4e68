namespace RoutingSdk.Tests;

public class AnswerParsersTests
{
    [Theory]
    [InlineData("Billing", Category.Billing)]
    [InlineData("billing", Category.Billing)]
    [InlineData("  TECHNICAL \n", Category.Technical)]
    [InlineData("\"General\"", Category.General)]
    [InlineData("'general'", Category.General)]
    [InlineData("`billing`", Category.Billing)]
    [InlineData("**Billing**", Category.Billing)]
    [InlineData("Billing.", Category.Billing)]
    [InlineData("\"Billing.\"", Category.Billing)]
    [InlineData("\"Billing\".", Category.Billing)]
    [InlineData("**'Technical'**.", Category.Technical)]
    [InlineData("needs_human", Category.NeedsHuman)]
    [InlineData("Needs-Human", Category.NeedsHuman)]
    [InlineData("needs human", Category.NeedsHuman)]
    public void Enum_parser_tolerates_case_whitespace_quotes_and_a_trailing_period(string text, Category expected)
    {
        Assert.True(AnswerParsers.Enum<Category>().TryParse(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("-1")]
    [InlineData("Refund")]
    [InlineData("Billing or Technical")]
    [InlineData("The category is Billing")]
    [InlineData("Billing, Technical")]
    [InlineData("")]
    [InlineData("   ")]
    public void Enum_parser_rejects_numbers_and_unknown_names(string text)
    {
        Assert.False(AnswerParsers.Enum<Category>().TryParse(text, out _));
    }

    [Theory]
    [InlineData("{\"id\": \"A1\", \"amount\": 12.5}")]
    [InlineData("{\"ID\": \"A1\", \"AMOUNT\": 12.5}")]
    [InlineData("```json\n{\"Id\": \"A1\", \"Amount\": 12.5}\n```")]
    [InlineData("Here is the order:\n{\"id\": \"A1\", \"amount\": 12.5,}\nLet me know.")]
    public void Json_parser_reads_records_case_insensitively_inside_fences_and_prose(string text)
    {
        Assert.True(AnswerParsers.Json<Order>().TryParse(text, out var order));
        Assert.Equal(("A1", 12.5m), (order.Id, order.Amount));
    }

    [Fact]
    public void Json_parser_reads_nested_arrays()
    {
        Assert.True(AnswerParsers.Json<Order>().TryParse("{\"id\":\"A1\",\"amount\":1,\"tags\":[\"x\",\"y\"]}", out var order));
        Assert.Equal(new[] { "x", "y" }, order.Tags);
    }

    [Fact]
    public void Json_parser_reads_top_level_arrays()
    {
        Assert.True(AnswerParsers.Json<int[]>().TryParse("```\n[1, 2, 3]\n```", out var values));
        Assert.Equal(new[] { 1, 2, 3 }, values);
    }

    [Theory]
    [InlineData("I could not find an order.")]
    [InlineData("null")]
    [InlineData("{")]
    [InlineData("{\"id\": \"A1\", \"amount\": }")]
    [InlineData("{\"id\": \"A1\", \"amount\": \"twelve\"}")]
    [InlineData("{}")]
    [InlineData("{\"amount\": 12.5}")]
    [InlineData("{\"id\": null, \"amount\": 12.5}")]
    [InlineData("")]
    public void Json_parser_rejects_garbage(string text)
    {
        Assert.False(AnswerParsers.Json<Order>().TryParse(text, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \n\t")]
    public void Text_parser_rejects_an_empty_answer(string text)
    {
        Assert.False(AnswerParsers.Text.TryParse(text, out _));
    }
}
