import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { VENDORS } from '../../providers/provider';

/** PostgreSQL text cannot hold NUL: refused here, as a 400, rather than by the database as a 500. */
export const NO_NUL = /^[^\u0000]*$/;

/** A free-text filter value: a non-empty string of bounded length. */
export const FilterText = (maxLength: number) =>
  applyDecorators(
    IsOptional(),
    IsString(),
    IsNotEmpty(),
    MaxLength(maxLength),
    Matches(NO_NUL, { message: '$property must not contain NUL characters' }),
  );

/** The filters every listing of resources or their changes shares: vendor, secret and region. */
export const VendorFilter = () => applyDecorators(ApiPropertyOptional({ enum: VENDORS }), IsOptional(), IsIn(VENDORS));

export const SecretIdFilter = () =>
  applyDecorators(ApiPropertyOptional({ description: 'The secret (cloud account) the resource was synced with' }), IsOptional(), IsUUID());

export const RegionFilter = () => applyDecorators(ApiPropertyOptional({ example: 'cn-hangzhou' }), FilterText(64));
