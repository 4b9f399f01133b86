// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
return 0;
