global using Microsoft.CodeAnalysis;
global using Microsoft.CodeAnalysis.Testing;
global using Xunit;
