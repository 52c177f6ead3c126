export declare function electronBinary(): string | undefined;
