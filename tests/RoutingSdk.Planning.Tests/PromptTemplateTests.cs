namespace RoutingSdk.Planning.Tests;

public class PromptTemplateTests
{
    [Fact]
    public void Placeholder_names_a_parameter_with_its_offset_and_length()
    {
        var template = PromptTemplate.Parse("Classify:\n{email}!");

        Assert.Empty(template.Errors);
        Assert.Collection(template.Segments,
            s => Assert.Equal(new PromptTemplate.Segment("Classify:\n", false, -1, 0), s),
            s => Assert.Equal(new PromptTemplate.Segment("email", true, 10, 7), s),
            s => Assert.Equal(new PromptTemplate.Segment("!", false, -1, 0), s));
    }

    [Fact]
    public void Placeholder_name_is_trimmed()
    {
        var segment = Assert.Single(PromptTemplate.Parse("{ email }").Segments);

        Assert.Equal("email", segment.Text);
        Assert.Equal(9, segment.Length);
    }

    [Fact]
    public void Doubled_braces_are_literal_braces()
    {
        var template = PromptTemplate.Parse("Reply as {{\"a\": {value}}}");

        Assert.Empty(template.Errors);
        Assert.Collection(template.Segments,
            s => Assert.Equal("Reply as {\"a\": ", s.Text),
            s => { Assert.True(s.IsPlaceholder); Assert.Equal("value", s.Text); },
            s => { Assert.False(s.IsPlaceholder); Assert.Equal("}", s.Text); });
    }

    [Fact]
    public void Doubled_braces_around_a_name_are_literal_text()
    {
        var template = PromptTemplate.Parse("{{name}}");

        Assert.Empty(template.Errors);
        Assert.Equal("{name}", Assert.Single(template.Segments).Text);
        Assert.False(template.Segments[0].IsPlaceholder);
    }

    [Fact]
    public void Unclosed_placeholder_is_an_error_with_its_offset()
    {
        var template = PromptTemplate.Parse("Hello {name");

        Assert.Contains("offset 6", Assert.Single(template.Errors));
        Assert.DoesNotContain(template.Segments, s => s.IsPlaceholder);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("a { } b")]
    public void Empty_placeholder_is_an_error(string text)
    {
        Assert.Contains("empty", Assert.Single(PromptTemplate.Parse(text).Errors));
    }

    [Fact]
    public void Template_without_placeholders_is_one_literal()
    {
        var template = PromptTemplate.Parse("Just text.");

        Assert.Empty(template.Errors);
        Assert.Equal("Just text.", Assert.Single(template.Segments).Text);
    }

    [Fact]
    public void Empty_template_has_no_segments()
    {
        var template = PromptTemplate.Parse("");

        Assert.Empty(template.Segments);
        Assert.Empty(template.Errors);
    }
}
