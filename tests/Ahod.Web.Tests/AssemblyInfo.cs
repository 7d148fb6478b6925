// The test classes share one app (WebAppFixture) and run one after another: each drives two browsers through every
// service, and in parallel on two shared cores they mostly wait for each other's password hashing.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
