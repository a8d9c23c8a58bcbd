using Routescope.Gateway.Hosting;

namespace Routescope.Gateway.Tests.Hosting;

/// <summary>The gateway sizes the shared buffer pool unless the operator already did.</summary>
public sealed class SharedBufferPoolTests
{
    [Fact]
    public void The_limit_is_set_when_unset_and_an_operators_value_is_kept()
    {
        var before = Environment.GetEnvironmentVariable(SharedBufferPool.ArraysPerPartitionVariable);
        try
        {
            Environment.SetEnvironmentVariable(SharedBufferPool.ArraysPerPartitionVariable, null);
            SharedBufferPool.Configure();
            Assert.Equal("256", Environment.GetEnvironmentVariable(SharedBufferPool.ArraysPerPartitionVariable));

            Environment.SetEnvironmentVariable(SharedBufferPool.ArraysPerPartitionVariable, "64");
            SharedBufferPool.Configure();
            Assert.Equal("64", Environment.GetEnvironmentVariable(SharedBufferPool.ArraysPerPartitionVariable));
        }
        finally
        {
            Environment.SetEnvironmentVariable(SharedBufferPool.ArraysPerPartitionVariable, before);
        }
    }
}
