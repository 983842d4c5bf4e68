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

    [Theory]
    [InlineData("Billing", Category.Billing)]
    [InlineData("technical", Category.Technical)]
    [InlineData("\"General\".", Category.General)]
    public void Nullable_enum_parser_reads_member_names_like_the_enum_parser(string text, Category expected)
    {
        Assert.True(AnswerParsers.NullableEnum<Category>().TryParse(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("7")]
    [InlineData("null")]
    [InlineData("Refund")]
    [InlineData("")]
    public void Nullable_enum_parser_rejects_numbers_null_and_unknown_names(string text)
    {
        Assert.False(AnswerParsers.NullableEnum<Category>().TryParse(text, out var value));
        Assert.Null(value);
    }

    [Theory]
    [InlineData("7")]
    [InlineData("-1")]
    [InlineData("4294967296")]
    [InlineData("\"Refund\"")]
    public void Json_parser_rejects_an_undeclared_enum_value(string text)
    {
        Assert.False(AnswerParsers.Json<Category>().TryParse(text, out _));
        Assert.False(AnswerParsers.Json<Category?>().TryParse(text, out _));
    }

    [Fact]
    public void Json_parser_reads_a_declared_enum_number_or_name()
    {
        Assert.True(AnswerParsers.Json<Category?>().TryParse("1", out var byNumber));
        Assert.Equal(Category.Technical, byNumber);
        Assert.True(AnswerParsers.Json<Category?>().TryParse("\"Billing\"", out var byName));
        Assert.Equal(Category.Billing, byName);
    }

    [Fact]
    public void Json_parser_rejects_an_undeclared_enum_value_inside_a_record()
    {
        Assert.False(AnswerParsers.Json<Ticket>().TryParse("{\"category\": 7}", out _));
        Assert.True(AnswerParsers.Json<Ticket>().TryParse("{\"category\": \"technical\"}", out var ticket));
        Assert.Equal(Category.Technical, ticket.Category);
    }

    [Theory]
    [InlineData("1", Access.Read)]
    [InlineData("3", Access.Read | Access.Write)]
    [InlineData("7", Access.Read | Access.Write | Access.Delete)]
    [InlineData("0", Access.None)]
    public void Json_parser_reads_combinations_of_declared_flags(string text, Access expected)
    {
        Assert.True(AnswerParsers.Json<Access>().TryParse(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("8")]
    [InlineData("9")]
    [InlineData("-1")]
    public void Json_parser_rejects_flags_outside_the_declared_ones(string text)
    {
        Assert.False(AnswerParsers.Json<Access>().TryParse(text, out _));
    }

    [Fact]
    public void Json_parser_rejects_a_number_outside_a_byte_enum()
    {
        Assert.False(AnswerParsers.Json<Small>().TryParse("257", out _));
        Assert.True(AnswerParsers.Json<Small>().TryParse("1", out var one));
        Assert.Equal(Small.One, one);
    }

    public sealed record Ticket(Category Category);

    [Flags]
    public enum Access
    {
        None = 0,
        Read = 1,
        Write = 2,
        Delete = 4,
    }

    public enum Small : byte
    {
        Zero = 0,
        One = 1,
    }
}
